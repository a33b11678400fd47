"""Suites: the tree a project's cases are filed in."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    TimestampMixin,
)


class Suite(IdMixin, TimestampMixin, ProjectNumberedMixin, Base):
    """A folder of test cases; suites nest through `parent_id`."""

    __tablename__ = "suites"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    # Deleting a suite deletes its subtree; cases are moved or deleted by the service first
    # (`Suite.delete.destination_id`), and `cases.suite_id` is SET NULL as a backstop.
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("suites.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    preconditions: Mapped[str | None] = mapped_column(Text)
