"""Projects and the per-project counters behind their numbered entities."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import Base, BigId, IdMixin, TimestampMixin


class Project(IdMixin, TimestampMixin, Base):
    """A project, addressed by its code (stored upper-case, 2-10 letters, as Qase requires)."""

    __tablename__ = "projects"

    code: Mapped[str] = mapped_column(String(10), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(8), default="all")  # "all" | "group" | "none"
    group_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("groups.id", ondelete="SET NULL")
    )
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL")
    )


class ProjectCounter(Base):
    """The last number handed out per (project, kind): `case`, `suite`, `run`, `defect` ..."""

    __tablename__ = "project_counters"

    project_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
