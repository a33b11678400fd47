"""Test runs, the cases they hold (with each one's current status) and their configurations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
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


class Run(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A test run: a set of cases executed once, manually or by an automated reporter.

    Per-status `stats` are counted from run_cases (index run_id, status) rather than cached, so
    bulk ingestion never contends on the run row for counters; only `time_spent` is cached.
    """

    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_runs_project_id_status", "project_id", "status"),
        Index("ix_runs_project_id_start_time", "project_id", "start_time"),
    )

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    # "in_progress" | "passed" | "failed" | "aborted". The v1 integer `status` is derived:
    # in_progress -> 0 (active), passed/failed -> 1 (complete), aborted -> 2 (abort); a completed
    # run is passed or failed depending on its results when it is completed.
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    is_autotest: Mapped[bool] = mapped_column(default=False)
    start_time: Mapped[datetime | None]
    end_time: Mapped[datetime | None]
    environment_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("environments.id", ondelete="SET NULL"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL")
    )
    is_public: Mapped[bool] = mapped_column(default=False)
    # Token of the public report URL; kept when publicity is switched off so links stay stable.
    public_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Sum of the run's result times in ms, bumped once per ingested batch.
    time_spent: Mapped[int] = mapped_column(BigInteger, default=0)


class RunCase(ProjectScopedMixin, Base):
    """A case included in a run, with the status of its latest result and its assignee."""

    __tablename__ = "run_cases"
    __table_args__ = (Index("ix_run_cases_run_id_status", "run_id", "status"),)

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Slug of the latest result's status, "untested" until the first result arrives.
    status: Mapped[str] = mapped_column(String(64), default="untested")
    assignee_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="SET NULL")
    )


class RunConfiguration(ProjectScopedMixin, Base):
    """Links a run to a configuration it was executed with."""

    __tablename__ = "run_configurations"

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    configuration_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("configurations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
