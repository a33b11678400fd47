"""Execution: environments, configurations, plans, runs, results and their steps, defects, reviews.

Conventions for this module:

* Every table carries `project_id` (ProjectScopedMixin), link tables included, so a project's
  rows can later be distributed together.
* Statuses are stored as the slugs the API speaks (`passed`, `open` ...) in short String columns;
  the v1 integer `Run.status` is derived from the slug. Step statuses are the exception: small
  integers in the v1 codes, since step rows are the most numerous.
* Attachments, custom field values and external issue links of runs, results and defects live in
  the generic link tables (entity_type + entity_id), not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
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
    utcnow,
)

# --- environments and configurations ---------------------------------------------------------


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


class ConfigurationGroup(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A named axis of configurations, e.g. `Browser` or `OS`; titles are unique per project, so
    reporters can find a group by title."""

    __tablename__ = "configuration_groups"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        UniqueConstraint("project_id", "title"),
    )

    title: Mapped[str] = mapped_column(String(255))


class Configuration(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """One value of a configuration group, e.g. `Firefox` in `Browser`; unique in its group."""

    __tablename__ = "configurations"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        # Also serves as the index on group_id.
        UniqueConstraint("group_id", "title"),
    )

    group_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("configuration_groups.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(255))


# --- plans -------------------------------------------------------------------------------------


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


# --- runs --------------------------------------------------------------------------------------


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


class RunTag(ProjectScopedMixin, Base):
    """Links a run to a tag."""

    __tablename__ = "run_tags"

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- results -----------------------------------------------------------------------------------


class Result(IdMixin, ProjectScopedMixin, Base):
    """One execution of a case (or of an autotest not yet matched to a case) within a run.

    Written in bulk by reporters (v1 `/result/{code}/{id}/bulk`, v2 `/results`), so the table
    keeps few indexes and holds nested, rarely-filtered data as JSON. Steps are rows in
    result_steps. A v2 result with several `testops_ids` is stored as one row per case.
    """

    __tablename__ = "results"
    __table_args__ = (
        # Idempotency for v2 `id`: NULL keys never conflict, so v1 results are unaffected. When a
        # result fans out to several cases the service derives one key per case (e.g. `<id>:<case>`)
        # so resending yields the same keys. Also serves as the index on run_id.
        UniqueConstraint("run_id", "idempotency_key"),
        # Also used to find the latest result of a case in a run.
        Index("ix_results_case_id_run_id", "case_id", "run_id"),
        Index("ix_results_project_id_status", "project_id", "status"),
        Index("ix_results_project_id_author_id", "project_id", "author_id"),
        Index("ix_results_project_id_end_time", "project_id", "end_time"),
    )

    # Public id of the result (`/result/{code}/{hash}`), generated server-side.
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    run_id: Mapped[int] = mapped_column(BigId, ForeignKey("runs.id", ondelete="CASCADE"))
    # Kept when the case is deleted so run history survives; NULL also for unmatched autotests.
    case_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("cases.id", ondelete="SET NULL"))
    # passed | failed | blocked | skipped | invalid | in_progress | a custom status slug.
    status: Mapped[str] = mapped_column(String(64))
    # True for results sent through the API (reporters), False for ones entered in the UI.
    is_api_result: Mapped[bool] = mapped_column(default=True)
    # Who executed it (the `member` filter): v1 `author_id`, v2 `fields.executed_by`, else the
    # token's author.
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL")
    )
    time_ms: Mapped[int | None] = mapped_column(BigInteger)
    start_time: Mapped[datetime | None]
    end_time: Mapped[datetime | None]
    # The request asked for a defect to be created from this (failed) result.
    defect: Mapped[bool] = mapped_column(default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    # v2 reporter data: autotest title and signature (used to match the case), executing thread.
    title: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(Text)
    thread: Mapped[str | None] = mapped_column(String(255))
    steps_type: Mapped[str | None] = mapped_column(String(16))  # "classic" | "gherkin"
    params: Mapped[dict[str, Any] | None]  # name -> value (v1 `param`, v2 `params`)
    param_groups: Mapped[list[Any] | None]  # lists of parameter names
    relations: Mapped[dict[str, Any] | None]  # v2 `relations` (suite path of the autotest)
    fields: Mapped[dict[str, Any] | None]  # v2 `fields` as sent (description, severity, ...)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Long texts go last in the table (sort_order, also after the mixins' columns): SQLite decodes
    # a row left to right, so reading the short columns never walks a long text's overflow pages.
    comment: Mapped[str | None] = mapped_column(Text, sort_order=10)  # v1 `comment` / v2 `message`
    stacktrace: Mapped[str | None] = mapped_column(Text, sort_order=10)
    # v2 `execution.error_context`: write-only on the API and up to 256 KiB, so never loaded
    # unless asked for.
    error_context: Mapped[str | None] = mapped_column(Text, deferred=True, sort_order=10)


class ResultStep(IdMixin, ProjectScopedMixin, Base):
    """The outcome of one step of a result; nested steps point at their parent by position.

    Steps are numbered in pre-order within their result (`position` 0, 1, 2 ...), and a nested
    step names its parent by `parent_position` rather than a self-referencing id, so a whole
    batch of step trees is inserted in one set-based statement without waiting for ids.
    """

    __tablename__ = "result_steps"
    __table_args__ = (UniqueConstraint("result_id", "position"),)

    result_id: Mapped[int] = mapped_column(BigId, ForeignKey("results.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    parent_position: Mapped[int | None] = mapped_column(Integer)
    # The case step this reports on, when the result belongs to a case with classic steps.
    case_step_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("case_steps.id", ondelete="SET NULL"), index=True
    )
    # v1 codes, as returned by the v1 API: 1 passed, 2 failed, 3 blocked, 5 skipped,
    # 7 in_progress (v2 sends the slugs).
    status: Mapped[int] = mapped_column(SmallInteger)
    action: Mapped[str | None] = mapped_column(Text)
    expected_result: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str | None] = mapped_column(Text)  # v1 `data` / v2 `input_data`
    comment: Mapped[str | None] = mapped_column(Text)  # the actual result
    start_time: Mapped[datetime | None]
    end_time: Mapped[datetime | None]
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)


# --- defects -----------------------------------------------------------------------------------


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


class DefectTag(ProjectScopedMixin, Base):
    """Links a defect to a tag."""

    __tablename__ = "defect_tags"

    defect_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("defects.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- reviews -----------------------------------------------------------------------------------


class Review(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A proposed new case (`create`) or change to a case (`edit`) awaiting approval.

    The proposal is stored as sent (Review.CaseData merged over previous updates) and applied to
    the case when the review is merged.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_reviews_project_id_status", "project_id", "status"),
    )

    title: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(8))  # "create" | "edit"
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | merged | declined
    # The reviewed case; for a `create` review, set to the new case once merged.
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    proposed_case: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReviewReviewer(IdMixin, ProjectScopedMixin, Base):
    """A reviewer assigned to a review and their verdict.

    Surrogate id because the contract keeps a reviewer whose author is gone (NULL author_uuid).
    """

    __tablename__ = "review_reviewers"
    __table_args__ = (UniqueConstraint("review_id", "author_id"),)

    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("reviews.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    # "unapproved" | "approved" | "changes_requested"; back to unapproved when the proposal
    # changes (updating only the reviewers keeps verdicts).
    status: Mapped[str] = mapped_column(String(24), default="unapproved")
