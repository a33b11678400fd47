"""Test plans: a named list of cases to run."""

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
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    ProjectScopedMixin,
    TimestampMixin,
)


class Plan(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A reusable selection of cases that runs can be started from.

    `cases_count` and `average_time` of the API are computed from plan_cases and results.
    """

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL")
    )


class PlanCase(ProjectScopedMixin, Base):
    """A case in a plan, with an optional assignee and its place in the plan."""

    __tablename__ = "plan_cases"

    plan_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
