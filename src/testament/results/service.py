"""v1 result rules: turn `Result.create` bodies into stored results; update, delete, look up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.attachments import service as attachments
from testament.kit import audit
from testament.kit.concurrency import lock_project_for
from testament.kit.errors import Invalid, NotFound, PayloadTooLarge
from testament.models.cases import Case
from testament.models.identity import Author
from testament.models.results import Result, ResultStep
from testament.models.runs import Run
from testament.results import ingest, matching
from testament.results.ingest import ResultInput, StepOutcome
from testament.results.schemas import ResultCreate, ResultUpdate, StepResultInput
from testament.runs import case_status
from testament.runs.service import get_run


def _steps(steps: Sequence[StepResultInput], where: str) -> list[StepOutcome]:
    return [
        StepOutcome(
            status=ingest.step_status(step.status, f"{where}[{i}].status"),
            action=step.action,
            expected_result=step.expected_result,
            data=step.data,
            comment=step.comment,
            attachments=list(step.attachments or []),
            steps=_steps(step.steps, f"{where}[{i}].steps"),
        )
        for i, step in enumerate(steps)
    ]


def _case_id(session: Session, ctx: ProjectContext, data: ResultCreate, where: str) -> int:
    if data.case_id is not None:
        found = session.scalar(
            select(Case.id).where(
                Case.project_id == ctx.project.id,
                Case.number == data.case_id,
                Case.deleted_at.is_(None),
            )
        )
        if found is None:
            raise Invalid.field(f"{where}case_id", f"Test case {data.case_id} not found.")
        return found
    if data.case is None:
        raise Invalid.field(f"{where}case_id", "give `case_id`, or `case` to create one")
    fields = data.case.model_dump(exclude_none=True, exclude={"suite_title"})
    path = (data.case.suite_title or "").split("\t")
    # Two results naming the same new case at once must make one case (see reporter_ingestion).
    lock_project_for(session, ctx.project.id, "autotest-cases")
    try:
        return matching.case_for_title(session, ctx, fields, path)
    except Invalid as exc:
        raise Invalid(
            exc.message, [type(f)(f"{where}case.{f.field}", f.error) for f in exc.fields]
        ) from None
    except ValidationError as exc:
        raise Invalid.field(f"{where}case", exc.errors()[0]["msg"]) from None


def to_input(
    session: Session, ctx: ProjectContext, data: ResultCreate, where: str = ""
) -> ResultInput:
    """A v1 `Result.create` as a result to store; `where` prefixes field names (`results[2].`)."""
    if data.author_id is not None and session.get(Author, data.author_id) is None:
        raise Invalid.field(f"{where}author_id", f"Author {data.author_id} not found.")
    time_ms = (
        data.time_ms
        if data.time_ms is not None
        else (data.time * 1000 if data.time is not None else None)
    )
    start = datetime.fromtimestamp(data.start_time, UTC) if data.start_time is not None else None
    end = (
        start + timedelta(milliseconds=time_ms)
        if start is not None and time_ms is not None
        else None
    )
    return ResultInput(
        where=where.rstrip("."),
        case_id=_case_id(session, ctx, data, where),
        status=ingest.check_status(data.status, f"{where}status"),
        time_ms=time_ms,
        start_time=start,
        end_time=end,
        comment=data.comment,
        stacktrace=data.stacktrace,
        attachments=list(data.attachments or []),
        steps=_steps(data.steps or [], f"{where}steps"),
        params=data.param,
        param_groups=data.param_groups,
        defect=bool(data.defect),
        author_id=data.author_id,
    )


def create_result(
    session: Session, ctx: ProjectContext, run_number: int, data: ResultCreate
) -> ingest.Stored:
    run = get_run(session, ctx.project.id, run_number)
    ingest.require_open_run(run)
    return ingest.store(session, ctx, run, [to_input(session, ctx, data)])[0]


def create_results(
    session: Session,
    ctx: ProjectContext,
    run_number: int,
    items: Sequence[ResultCreate],
    max_items: int,
) -> list[ingest.Stored]:
    """All or nothing."""
    if len(items) > max_items:
        raise PayloadTooLarge(
            f"A bulk request may carry at most {max_items} results; this one has {len(items)}."
        )
    if not items:
        raise Invalid.field("results", "give at least one result")
    run = get_run(session, ctx.project.id, run_number)
    ingest.require_open_run(run)
    inputs = [to_input(session, ctx, item, f"results[{i}].") for i, item in enumerate(items)]
    return ingest.store(session, ctx, run, inputs)


def get_result(session: Session, project_id: int, result_hash: str) -> Result:
    result = session.scalar(
        select(Result).where(Result.project_id == project_id, Result.hash == result_hash)
    )
    if result is None:
        raise NotFound(f"Test run result {result_hash} not found.")
    return result


def _in_run(
    session: Session, ctx: ProjectContext, run_number: int, result_hash: str
) -> tuple[Run, Result]:
    run = get_run(session, ctx.project.id, run_number)
    result = get_result(session, ctx.project.id, result_hash)
    if result.run_id != run.id:
        raise NotFound(f"Test run result {result_hash} not found in run {run_number}.")
    return run, result


def update_result(
    session: Session, ctx: ProjectContext, run_number: int, result_hash: str, data: ResultUpdate
) -> Result:
    run, result = _in_run(session, ctx, run_number, result_hash)
    before = audit.snapshot(result)
    sent = data.model_fields_set
    if "status" in sent:
        if data.status is None:
            raise Invalid.field("status", "the status cannot be empty")
        result.status = ingest.check_status(data.status, "status")
    if "time_ms" in sent:
        old = result.time_ms or 0
        result.time_ms = data.time_ms
        session.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(time_spent=Run.time_spent - old + (data.time_ms or 0))
        )
    for name in ("comment", "stacktrace"):
        if name in sent:
            setattr(result, name, getattr(data, name))
    if "defect" in sent:
        result.defect = bool(data.defect)
    if data.attachments is not None:
        attachments.unlink_all(session, "result", [result.id])
        attachments.link(session, ctx.project.id, data.attachments, "result", result.id)
    if data.steps is not None:
        old_steps = session.scalars(
            select(ResultStep.id).where(ResultStep.result_id == result.id)
        ).all()
        attachments.unlink_all(session, "result_step", old_steps)
        session.execute(delete(ResultStep).where(ResultStep.result_id == result.id))
        ingest.store_steps(session, ctx.project.id, [(result.id, _steps(data.steps, "steps"), "")])
    session.flush()
    if result.case_id is not None:
        case_status.settle(session, run.id, [result.case_id])
    audit.updated(
        session,
        ctx.actor,
        "result",
        result_hash,
        project_id=ctx.project.id,
        changes=audit.update_changes(before, result, data),
    )
    return result


def delete_result(session: Session, ctx: ProjectContext, run_number: int, result_hash: str) -> None:
    run, result = _in_run(session, ctx, run_number, result_hash)
    step_ids = session.scalars(select(ResultStep.id).where(ResultStep.result_id == result.id)).all()
    attachments.unlink_all(session, "result_step", step_ids)
    attachments.unlink_all(session, "result", [result.id])
    session.execute(
        update(Run)
        .where(Run.id == run.id)
        .values(time_spent=Run.time_spent - (result.time_ms or 0))
    )
    case_id = result.case_id
    session.delete(result)
    session.flush()
    if case_id is not None:
        case_status.settle(session, run.id, [case_id])
    audit.deleted(session, ctx.actor, "result", result_hash, project_id=ctx.project.id)
