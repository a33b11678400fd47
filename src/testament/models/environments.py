"""Environments a run executes in."""

from __future__ import annotations

from sqlalchemy import (
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    Base,
    IdMixin,
    ProjectNumberedMixin,
    TimestampMixin,
)


class Environment(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """Where a run executes (`staging`, `prod` ...); runs may reference one by id or by slug."""

    __tablename__ = "environments"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        UniqueConstraint("project_id", "slug"),
    )

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    slug: Mapped[str] = mapped_column(String(255))
    host: Mapped[str | None] = mapped_column(Text)
