"""Storing results: one set-based path for single, bulk (v1) and reporter (v2) results.

A batch is validated whole before anything is written; rows and their steps go in with one
INSERT each; the run's cases take the status of their newest result (by end time, then id: see
runs/case_status.py); a result sent again with the same idempotency key is stored once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.attachments import service as attachments
from testament.defects import service as defects
from testament.kit import audit
from testament.kit.bulk import insert_rows
from testament.kit.errors import Invalid
from testament.kit.ids import new_public_hash
from testament.models.results import Result, ResultStep
from testament.models.runs import Run
from testament.runs import case_status
from testament.runs.service import add_cases
from testament.runs.statuses import IN_PROGRESS

RESULT_STATUSES = ("passed", "failed", "blocked", "skipped", "invalid", "in_progress")
# Step statuses as the v1 API encodes them.
STEP_STATUS_CODES = {"passed": 1, "failed": 2, "blocked": 3, "skipped": 5, "in_progress": 7}
STEP_STATUS_SLUGS = {code: slug for slug, code in STEP_STATUS_CODES.items()}
DEFECT_STATUSES = ("failed", "blocked", "invalid")
# Core tables, not ORM classes, for the batch statements: the ORM's bulk paths collect and check
# every row in Python, which cost more than the database work itself.
RESULTS = cast(Table, Result.__table__)
RESULT_STEPS = cast(Table, ResultStep.__table__)


@dataclass
class StepOutcome:
    status: int
    action: str | None = None
    expected_result: str | None = None
    data: str | None = None
    comment: str | None = None
    attachments: list[str] = field(default_factory=list)
    start_time: datetime | None = None
    end_time: datetime | None = None
    duration_ms: int | None = None
    steps: list[StepOutcome] = field(default_factory=list)


@dataclass
class ResultInput:
    """A result ready to store; `where` names it in errors (`results[3]`)."""

    where: str
    case_id: int | None
    status: str
    time_ms: int | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    comment: str | None = None
    stacktrace: str | None = None
    attachments: list[str] = field(default_factory=list)
    steps: list[StepOutcome] = field(default_factory=list)
    steps_type: str = "classic"  # "gherkin" when a v2 reporter says so
    params: dict[str, Any] | None = None
    param_groups: list[Any] | None = None
    defect: bool = False
    author_id: int | None = None
    idempotency_key: str | None = None
    title: str | None = None
    signature: str | None = None
    thread: str | None = None
    relations: dict[str, Any] | None = None
    fields: dict[str, Any] | None = None
    error_context: str | None = None


@dataclass(frozen=True)
class Stored:
    hash: str
    case_id: int | None
    id: int


def check_status(status: str, field_name: str) -> str:
    if status not in RESULT_STATUSES:
        raise Invalid.field(
            field_name, f"unknown status {status!r}; use one of {', '.join(RESULT_STATUSES)}"
        )
    return status


def step_status(status: str, field_name: str) -> int:
    if status not in STEP_STATUS_CODES:
        raise Invalid.field(
            field_name, f"unknown step status {status!r}; use one of {', '.join(STEP_STATUS_CODES)}"
        )
    return STEP_STATUS_CODES[status]


def require_open_run(run: Run) -> None:
    if run.status != IN_PROGRESS:
        raise Invalid.field(
            "id", f"Test run {run.number} is completed: it takes no new results. Start a new run."
        )


def _flatten(
    steps: Sequence[StepOutcome], parent: int | None, out: list[tuple[int | None, StepOutcome]]
) -> None:
    for step in steps:
        out.append((parent, step))
        _flatten(step.steps, len(out) - 1, out)


def store(
    session: Session, ctx: ProjectContext, run: Run, results: Sequence[ResultInput]
) -> list[Stored]:
    """Store the results in the run (all or nothing); answers each one's hash, in input order."""
    require_open_run(run)
    project_id = ctx.project.id
    keys = [r.idempotency_key for r in results if r.idempotency_key]
    existing: dict[str, Stored] = {}
    if keys:
        for row in session.execute(
            select(Result.idempotency_key, Result.hash, Result.case_id, Result.id).where(
                Result.run_id == run.id, Result.idempotency_key.in_(keys)
            )
        ):
            existing[str(row[0])] = Stored(row[1], row[2], row[3])
    fresh: list[ResultInput] = []
    seen_keys: set[str] = set()
    for result in results:
        key = result.idempotency_key
        if key and (key in existing or key in seen_keys):
            continue
        if key:
            seen_keys.add(key)
        fresh.append(result)

    now = datetime.now(UTC)
    rows = [
        {
            "project_id": project_id,
            "hash": new_public_hash(),
            "run_id": run.id,
            "case_id": r.case_id,
            "status": r.status,
            "is_api_result": True,
            "author_id": r.author_id or ctx.actor.author_id,
            "time_ms": r.time_ms,
            "start_time": r.start_time,
            "end_time": r.end_time or now,
            "defect": r.defect,
            "idempotency_key": r.idempotency_key,
            "title": r.title,
            "signature": r.signature,
            "thread": r.thread,
            "steps_type": r.steps_type,
            "params": r.params,
            "param_groups": r.param_groups,
            "relations": r.relations,
            "fields": r.fields,
            "created_at": now,
            "comment": r.comment,
            "stacktrace": r.stacktrace,
            "error_context": r.error_context,
        }
        for r in fresh
    ]
    stored_fresh: list[Stored] = []
    if rows:
        # A plain executemany, then the ids by hash: RETURNING with ordered rows makes
        # SQLAlchemy insert one row per statement on SQLite.
        insert_rows(session, RESULTS, rows)
        ids_by_hash = dict(
            session.execute(
                select(RESULTS.c.hash, RESULTS.c.id).where(
                    RESULTS.c.hash.in_([row["hash"] for row in rows])
                )
            ).all()
        )
        stored_fresh = [
            Stored(str(row["hash"]), result.case_id, ids_by_hash[row["hash"]])
            for row, result in zip(rows, fresh, strict=True)
        ]
        store_steps(
            session,
            project_id,
            [(saved.id, r.steps, r.where) for r, saved in zip(fresh, stored_fresh, strict=True)],
        )
        _link_result_files(session, project_id, fresh, stored_fresh)
        _update_run(session, project_id, run, fresh)
        _file_defects(session, ctx, run, fresh, stored_fresh)
        audit.created(
            session,
            ctx.actor,
            "result",
            run.number,
            project_id=project_id,
            changes={"run_id": run.number, "results": len(rows)},
        )
    # Answer in input order: a repeated key answers what was stored for it first.
    fresh_stored = iter(stored_fresh)
    by_key = dict(existing)
    answered: list[Stored] = []
    for result in results:
        key = result.idempotency_key
        if key and key in by_key:
            answered.append(by_key[key])
            continue
        saved = next(fresh_stored)
        if key:
            by_key[key] = saved
        answered.append(saved)
    return answered


def store_steps(
    session: Session, project_id: int, items: Sequence[tuple[int, list[StepOutcome], str]]
) -> None:
    """Insert the step trees of results (result id, steps, where) in one statement."""
    step_rows: list[dict[str, Any]] = []
    step_files: list[tuple[int, list[str], str]] = []
    for result_id, steps, where in items:
        flat: list[tuple[int | None, StepOutcome]] = []
        _flatten(steps, None, flat)
        for position, (parent, step) in enumerate(flat):
            step_rows.append(
                {
                    "project_id": project_id,
                    "result_id": result_id,
                    "position": position,
                    "parent_position": parent,
                    "status": step.status,
                    "action": step.action,
                    "expected_result": step.expected_result,
                    "data": step.data,
                    "comment": step.comment,
                    "start_time": step.start_time,
                    "end_time": step.end_time,
                    "duration_ms": step.duration_ms,
                }
            )
            if step.attachments:
                step_files.append(
                    (len(step_rows) - 1, step.attachments, f"{where}.steps".lstrip("."))
                )
    if not step_rows:
        return
    if not step_files:
        insert_rows(session, RESULT_STEPS, step_rows)
        return
    insert_rows(session, RESULT_STEPS, step_rows)
    wanted = {step_rows[index]["result_id"] for index, _, _ in step_files}
    ids = {
        (result_id, position): step_id
        for step_id, result_id, position in session.execute(
            select(RESULT_STEPS.c.id, RESULT_STEPS.c.result_id, RESULT_STEPS.c.position).where(
                RESULT_STEPS.c.result_id.in_(wanted)
            )
        )
    }
    for index, hashes, field_name in step_files:
        row = step_rows[index]
        attachments.link(
            session,
            project_id,
            hashes,
            "result_step",
            ids[(row["result_id"], row["position"])],
            field=f"{field_name}.attachments",
        )


def _link_result_files(
    session: Session, project_id: int, results: Sequence[ResultInput], stored: Sequence[Stored]
) -> None:
    for result, saved in zip(results, stored, strict=True):
        if result.attachments:
            attachments.link(
                session,
                project_id,
                result.attachments,
                "result",
                saved.id,
                field=f"{result.where}.attachments".lstrip("."),
            )


def _update_run(
    session: Session, project_id: int, run: Run, results: Sequence[ResultInput]
) -> None:
    """Cases join the run if they are not in it yet, and stand at their newest result's status
    (case_status: by end time, then id, whatever order the results came in)."""
    case_ids = {result.case_id for result in results if result.case_id is not None}
    if case_ids:
        add_cases(session, project_id, run.id, [(case_id, None) for case_id in case_ids])
        case_status.settle(session, run.id, case_ids)
    spent = sum(r.time_ms or 0 for r in results)
    if spent:
        session.execute(
            update(Run).where(Run.id == run.id).values(time_spent=Run.time_spent + spent)
        )


def _file_defects(
    session: Session,
    ctx: ProjectContext,
    run: Run,
    results: Sequence[ResultInput],
    stored: Sequence[Stored],
) -> None:
    """`defect: true` on a failing result files a defect linked to it, as Qase does."""
    for result, saved in zip(results, stored, strict=True):
        if result.defect and result.status in DEFECT_STATUSES:
            defects.create_for_result(
                session,
                ctx,
                title=(
                    result.title or f"Failed in run {run.number}: {result.comment or result.status}"
                )[:255],
                actual_result=result.comment or result.stacktrace or "",
                severity=None,
                result_id=saved.id,
                run_id=run.id,
                milestone_id=run.milestone_id,
            )
