"""Tags of a project, and their links to cases, runs and defects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    ProjectScopedMixin,
    utcnow,
)


class Tag(IdMixin, ProjectScopedMixin, Base):
    """A tag title in a project; its `id` is the `internal_id` of the contract's Tag.value."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("project_id", "title"),)

    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTag(ProjectScopedMixin, Base):
    """A tag on a case."""

    __tablename__ = "case_tags"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RunTag(ProjectScopedMixin, Base):
    """Links a run to a tag."""

    __tablename__ = "run_tags"

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DefectTag(ProjectScopedMixin, Base):
    """Links a defect to a tag."""

    __tablename__ = "defect_tags"

    defect_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("defects.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
