"""Defects and the results they were filed from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    ProjectScopedMixin,
    TimestampMixin,
)


class Defect(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A defect found while testing, usually filed from failed results."""

    __tablename__ = "defects"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_defects_project_id_status", "project_id", "status"),
    )

    title: Mapped[str] = mapped_column(Text)
    actual_result: Mapped[str] = mapped_column(Text, default="")
    # Option id of the `severity` system field (0 undefined, 1 blocker, 2 critical, 3 major,
    # 4 normal, 5 minor, 6 trivial); the read API returns its slug.
    severity: Mapped[int] = mapped_column(SmallInteger, default=0)
    # "open" | "in_progress" | "resolved" | "invalid"
    status: Mapped[str] = mapped_column(String(16), default="open")
    milestone_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    # Issue-tracker data; the API returns it JSON-encoded as the string `external_data`.
    external_data: Mapped[dict[str, Any] | None]


class DefectResult(ProjectScopedMixin, Base):
    """Links a defect to a result it was found in; `run_id` is copied for the run's defect list."""

    __tablename__ = "defect_results"

    defect_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("defects.id", ondelete="CASCADE"), primary_key=True
    )
    result_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("results.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("runs.id", ondelete="CASCADE"), index=True
    )
