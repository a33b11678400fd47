"""Results of executing a run's cases, and their step results: the largest tables."""

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
    ProjectScopedMixin,
    utcnow,
)


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
