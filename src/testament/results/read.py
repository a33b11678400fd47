"""Results as the v1 API shows them, a page at a time in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.kit.schemas import as_utc
from testament.models.cases import Case
from testament.models.results import Result, ResultStep
from testament.models.runs import Run
from testament.results.schemas import Result as ResultSchema
from testament.results.schemas import StepResult


def _epoch(value: datetime | None) -> int | None:
    return int(as_utc(value).timestamp()) if value else None


def describe(session: Session, results: Sequence[Result], base_url: str) -> list[ResultSchema]:
    if not results:
        return []
    ids = [r.id for r in results]
    run_numbers = dict(
        session.execute(
            select(Run.id, Run.number).where(Run.id.in_({r.run_id for r in results}))
        ).all()
    )
    case_ids = {r.case_id for r in results if r.case_id}
    case_numbers = dict(
        session.execute(select(Case.id, Case.number).where(Case.id.in_(case_ids))).all()
    )
    steps = session.scalars(
        select(ResultStep)
        .where(ResultStep.result_id.in_(ids))
        .order_by(ResultStep.result_id, ResultStep.position)
    ).all()
    files = attachments.for_entities(session, "result", ids, base_url)
    step_files = attachments.for_entities(session, "result_step", [s.id for s in steps], base_url)

    trees: dict[int, list[StepResult]] = defaultdict(list)
    nodes: dict[tuple[int, int], StepResult] = {}
    for step in steps:
        node = StepResult(
            status=step.status,
            position=step.position + 1,
            action=step.action,
            expected_result=step.expected_result,
            data=step.data,
            comment=step.comment,
            start_time=_epoch(step.start_time),
            end_time=_epoch(step.end_time),
            duration_ms=step.duration_ms,
            attachments=[a.model_dump() for a in step_files.get(step.id, [])],
        )
        nodes[(step.result_id, step.position)] = node
        if step.parent_position is None:
            trees[step.result_id].append(node)
        else:
            nodes[(step.result_id, step.parent_position)].steps.append(node)

    def file_list(result_id: int) -> list[Any]:
        return [a.model_dump() for a in files.get(result_id, [])]

    return [
        ResultSchema(
            hash=r.hash,
            result_hash=r.hash,
            comment=r.comment,
            stacktrace=r.stacktrace,
            run_id=run_numbers[r.run_id],
            case_id=case_numbers.get(r.case_id) if r.case_id else None,
            steps=trees.get(r.id, []),
            status=r.status,
            is_api_result=r.is_api_result,
            time_spent_ms=r.time_ms or 0,
            end_time=r.end_time,
            attachments=file_list(r.id),
            steps_type=r.steps_type or "classic",
        )
        for r in results
    ]


def case_numbers(session: Session, case_ids: Sequence[int | None]) -> dict[int, int]:
    wanted = {c for c in case_ids if c is not None}
    return (
        dict(session.execute(select(Case.id, Case.number).where(Case.id.in_(wanted))).all())
        if wanted
        else {}
    )
