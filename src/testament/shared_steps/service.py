"""Shared step rules: create, update, delete (removing it from cases), and lookups for cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.attachments import service as attachments
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.kit.ids import new_public_hash
from testament.kit.text_search import contains_ignoring_case
from testament.models.base import utcnow
from testament.models.cases import Case, CaseStep
from testament.models.shared_steps import SharedStep, SharedStepItem
from testament.shared_steps import items
from testament.shared_steps.filters import SharedStepFilters
from testament.shared_steps.schemas import (
    SharedStepCreate,
    SharedStepUpdate,
    SharedStepWrite,
    StepContentInput,
)

DEPRECATED_FIELDS = ("action", "expected_result", "data")


def list_statement(project_id: int) -> Select[SharedStep]:
    return select(SharedStep).where(SharedStep.project_id == project_id).order_by(SharedStep.id)


def filtered_statement(project_id: int, filters: SharedStepFilters) -> Select[SharedStep] | None:
    """The list narrowed by `filters`; None when none is given."""
    if not filters.search:
        return None
    return list_statement(project_id).where(
        contains_ignoring_case(SharedStep.title, filters.search)
    )


def get_by_hash(
    session: Session, project_id: int, shared_hash: str, *, for_update: bool = False
) -> SharedStep:
    """The project's shared step (404 otherwise); `for_update` locks it so writers take turns."""
    statement = select(SharedStep).where(
        SharedStep.project_id == project_id, SharedStep.hash == shared_hash
    )
    shared_step = session.scalar(statement.with_for_update() if for_update else statement)
    if shared_step is None:
        raise NotFound(f"Shared step not found: no shared step {shared_hash} in this project.")
    return shared_step


def _steps_from_body(data: SharedStepWrite) -> list[StepContentInput]:
    """`steps` when sent; otherwise one step from the deprecated fields."""
    if data.steps:
        return data.steps
    if data.action is None:
        raise Invalid.field("steps", "a shared step needs at least one step (send `steps`)")
    if not data.action:
        raise Invalid.field("action", "a step needs an action")
    return [
        StepContentInput(action=data.action, expected_result=data.expected_result, data=data.data)
    ]


def create(session: Session, ctx: ProjectContext, data: SharedStepCreate) -> SharedStep:
    steps = _steps_from_body(data)
    shared_step = SharedStep(
        project_id=ctx.project.id,
        hash=new_public_hash(),
        title=data.title,
        author_id=ctx.actor.author_id,
    )
    session.add(shared_step)
    session.flush()
    items.write_items(session, ctx.project.id, shared_step.id, steps)
    audit.created(
        session,
        ctx.actor,
        "shared_step",
        shared_step.hash,
        project_id=ctx.project.id,
        changes={"title": data.title, "steps": _count(steps)},
    )
    return shared_step


def update_shared_step(
    session: Session, ctx: ProjectContext, shared_step: SharedStep, data: SharedStepUpdate
) -> SharedStep:
    """Replace the title and, when sent, the steps; the deprecated fields edit the first step."""
    shared_step.title = data.title
    shared_step.updated_at = utcnow()
    changes: dict[str, object] = {"title": data.title}
    if data.steps is not None:
        items.delete_items(session, shared_step.id)
        session.flush()
        items.write_items(session, ctx.project.id, shared_step.id, data.steps)
        changes["steps"] = _count(data.steps)
    else:
        sent = {
            name: getattr(data, name) for name in DEPRECATED_FIELDS if name in data.model_fields_set
        }
        if sent:
            _edit_first_item(session, ctx.project.id, shared_step.id, sent)
            changes.update(sent)
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        "shared_step",
        shared_step.hash,
        project_id=ctx.project.id,
        changes=changes,
    )
    return shared_step


def _edit_first_item(
    session: Session, project_id: int, shared_step_id: int, sent: dict[str, str | None]
) -> None:
    if "action" in sent and not sent["action"]:
        raise Invalid.field("action", "a step needs an action")
    first = items.first_item(session, shared_step_id)
    if first is None:
        action = sent.get("action")
        if not action:
            raise Invalid.field("action", "the shared step has no step yet: send an action")
        step = StepContentInput(
            action=action, expected_result=sent.get("expected_result"), data=sent.get("data")
        )
        items.write_items(session, project_id, shared_step_id, [step])
        return
    for name, value in sent.items():
        setattr(first, name, value)


def delete_shared_step(session: Session, ctx: ProjectContext, shared_step: SharedStep) -> None:
    """Delete it and remove it from every case using it (those cases get a new revision)."""
    removed_from = _remove_from_cases(session, ctx, shared_step.id)
    items.delete_items(session, shared_step.id)
    session.execute(delete(SharedStep).where(SharedStep.id == shared_step.id))
    audit.deleted(
        session,
        ctx.actor,
        "shared_step",
        shared_step.hash,
        project_id=ctx.project.id,
        changes={"removed_from_cases": removed_from},
    )


def _remove_from_cases(session: Session, ctx: ProjectContext, shared_step_id: int) -> list[int]:
    """Delete the case steps standing for the shared step; renumber their siblings 1..n."""
    references = session.execute(
        select(CaseStep.id, CaseStep.case_id).where(CaseStep.shared_step_id == shared_step_id)
    ).all()
    if not references:
        return []
    step_ids = [row.id for row in references]
    case_ids = sorted({row.case_id for row in references})
    attachments.unlink_all(session, "step", step_ids)
    session.execute(delete(CaseStep).where(CaseStep.id.in_(step_ids)))
    _renumber_steps(session, case_ids)
    session.execute(
        update(Case)
        .where(Case.id.in_(case_ids))
        .values(revision=Case.revision + 1, updated_at=utcnow(), updated_by=ctx.actor.author_id)
    )
    numbers = session.scalars(select(Case.number).where(Case.id.in_(case_ids))).all()
    return sorted(numbers)


def _renumber_steps(session: Session, case_ids: Collection[int]) -> None:
    siblings: dict[tuple[int, int | None], list[CaseStep]] = defaultdict(list)
    remaining = session.scalars(
        select(CaseStep)
        .where(CaseStep.case_id.in_(case_ids))
        .order_by(CaseStep.case_id, CaseStep.position, CaseStep.id)
    ).all()
    for step in remaining:
        siblings[(step.case_id, step.parent_id)].append(step)
    for level in siblings.values():
        for position, step in enumerate(level, start=1):
            if step.position != position:
                step.position = position
    session.flush()


def _count(steps: Collection[StepContentInput]) -> int:
    return sum(1 + _count(step.steps) for step in steps)


# --- For the cases resource ------------------------------------------------------------------


def ids_for_hashes(
    session: Session, project_id: int, hashes: Collection[str], field: str = "steps"
) -> dict[str, int]:
    """Shared step global ids by hash; an unknown hash (or another project's) is a 422."""
    wanted = set(hashes)
    if not wanted:
        return {}
    found: dict[str, int] = dict(
        session.execute(
            select(SharedStep.hash, SharedStep.id).where(
                SharedStep.project_id == project_id, SharedStep.hash.in_(wanted)
            )
        ).all()
    )
    missing = sorted(wanted - found.keys())
    if missing:
        raise Invalid.field(field, f"Shared step {', '.join(missing)} not found in this project.")
    return found


def items_for_ids(
    session: Session, ids: Collection[int]
) -> dict[int, tuple[str, list[SharedStepItem]]]:
    """Each shared step's hash and items (nested ones too, linked by `parent_id`), ordered by
    position among siblings; one query. Unknown ids are left out."""
    if not ids:
        return {}
    rows = session.execute(
        select(SharedStep.id, SharedStep.hash, SharedStepItem)
        .outerjoin(SharedStepItem, SharedStepItem.shared_step_id == SharedStep.id)
        .where(SharedStep.id.in_(set(ids)))
        .order_by(SharedStep.id, SharedStepItem.position, SharedStepItem.id)
    ).all()
    result: dict[int, tuple[str, list[SharedStepItem]]] = {}
    for shared_id, shared_hash, item in rows:
        entry = result.setdefault(shared_id, (shared_hash, []))
        if item is not None:
            entry[1].append(item)
    return result
