"""Milestones: targets that cases, runs and plans may belong to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    IdMixin,
    ProjectNumberedMixin,
    TimestampMixin,
)


class Milestone(IdMixin, TimestampMixin, ProjectNumberedMixin, Base):
    """A project milestone that cases (and runs, defects) can be assigned to."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | completed
    due_date: Mapped[datetime | None]
