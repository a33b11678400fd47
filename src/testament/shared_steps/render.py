"""Shared steps as the API shows them: a page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.models.cases import Case, CaseStep
from testament.models.shared_steps import SharedStep, SharedStepItem
from testament.shared_steps.items import ITEM_ENTITY
from testament.shared_steps.schemas import SharedStep as SharedStepSchema
from testament.shared_steps.schemas import StepContent


def legacy_datetime(value: datetime) -> str:
    """The deprecated `created`/`updated` form: `2021-12-30 19:23:59` (UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def describe(
    session: Session, shared_steps: Sequence[SharedStep], base_url: str
) -> list[SharedStepSchema]:
    if not shared_steps:
        return []
    ids = [s.id for s in shared_steps]
    rows = session.scalars(
        select(SharedStepItem)
        .where(SharedStepItem.shared_step_id.in_(ids))
        .order_by(SharedStepItem.shared_step_id, SharedStepItem.position, SharedStepItem.id)
    ).all()
    files = attachments.for_entities(session, ITEM_ENTITY, [r.id for r in rows], base_url)
    top: dict[int, list[SharedStepItem]] = defaultdict(list)
    children: dict[int, list[SharedStepItem]] = defaultdict(list)
    for row in rows:
        if row.parent_id is None:
            top[row.shared_step_id].append(row)
        else:
            children[row.parent_id].append(row)

    def render(level: Sequence[SharedStepItem]) -> list[StepContent]:
        return [
            StepContent(
                hash=item.hash,
                action=item.action,
                expected_result=item.expected_result or "",
                data=item.data or "",
                attachments=files.get(item.id, []),
                steps=[s.model_dump() for s in render(children.get(item.id, []))],
            )
            for item in level
        ]

    using = _cases_using(session, ids)
    described = []
    for shared_step in shared_steps:
        steps = render(top.get(shared_step.id, []))
        first = steps[0] if steps else None
        cases = using.get(shared_step.id, [])
        described.append(
            SharedStepSchema(
                hash=shared_step.hash,
                title=shared_step.title,
                action=first.action if first else "",
                expected_result=first.expected_result if first else "",
                data=first.data if first else "",
                steps=steps,
                cases=cases,
                cases_count=len(cases),
                created=legacy_datetime(shared_step.created_at),
                updated=legacy_datetime(shared_step.updated_at),
                created_at=shared_step.created_at,
                updated_at=shared_step.updated_at,
            )
        )
    return described


def _cases_using(session: Session, shared_step_ids: Sequence[int]) -> dict[int, list[int]]:
    """Per shared step, the numbers of the non-deleted cases with a step standing for it."""
    rows = session.execute(
        select(CaseStep.shared_step_id, Case.number)
        .join(Case, Case.id == CaseStep.case_id)
        .where(CaseStep.shared_step_id.in_(shared_step_ids), Case.deleted_at.is_(None))
        .distinct()
    ).all()
    using: dict[int, list[int]] = defaultdict(list)
    for shared_step_id, number in rows:
        if shared_step_id is not None:
            using[shared_step_id].append(number)
    return {key: sorted(numbers) for key, numbers in using.items()}
