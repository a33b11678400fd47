"""A shared step's items: written as rows (nested through `parent_id`), replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.kit.errors import Invalid
from testament.kit.ids import new_public_hash
from testament.models.shared_steps import SharedStepItem
from testament.shared_steps.schemas import MAX_DEPTH, MAX_ITEMS, StepContentInput

ITEM_ENTITY = "shared_step_item"


@dataclass
class _Writer:
    session: Session
    project_id: int
    shared_step_id: int
    written: int = 0
    hashes: set[str] = field(default_factory=set)


def write_items(
    session: Session, project_id: int, shared_step_id: int, steps: Sequence[StepContentInput]
) -> None:
    """Insert `steps` (list order is position order, 1..n per level) under the shared step."""
    if not steps:
        raise Invalid.field("steps", "a shared step needs at least one step")
    _check_hashes(steps, "steps", set())
    writer = _Writer(session, project_id, shared_step_id)
    _write_level(writer, steps, None, "steps", 1)


def _check_hashes(steps: Sequence[StepContentInput], where: str, seen: set[str]) -> None:
    """Hashes given by the client must be unique within the shared step."""
    for index, step in enumerate(steps):
        if step.hash is not None:
            if step.hash in seen:
                raise Invalid.field(f"{where}[{index}].hash", f"hash {step.hash!r} is used twice")
            seen.add(step.hash)
        _check_hashes(step.steps, f"{where}[{index}].steps", seen)


def _write_level(
    writer: _Writer,
    steps: Sequence[StepContentInput],
    parent_id: int | None,
    where: str,
    depth: int,
) -> None:
    if depth > MAX_DEPTH:
        raise Invalid.field(where, f"steps nest at most {MAX_DEPTH} levels deep")
    for position, step in enumerate(steps, start=1):
        step_field = f"{where}[{position - 1}]"
        writer.written += 1
        if writer.written > MAX_ITEMS:
            raise Invalid.field("steps", f"a shared step has at most {MAX_ITEMS} steps")
        item = SharedStepItem(
            project_id=writer.project_id,
            shared_step_id=writer.shared_step_id,
            parent_id=parent_id,
            position=position,
            hash=step.hash or new_public_hash(),
            action=step.action,
            expected_result=step.expected_result,
            data=step.data,
        )
        writer.session.add(item)
        writer.session.flush()
        if step.attachments:
            attachments.link(
                writer.session,
                writer.project_id,
                step.attachments,
                ITEM_ENTITY,
                item.id,
                field=f"{step_field}.attachments",
            )
        if step.steps:
            _write_level(writer, step.steps, item.id, f"{step_field}.steps", depth + 1)


def delete_items(session: Session, shared_step_id: int) -> None:
    """Remove every item of the shared step and its attachment links."""
    item_ids = session.scalars(
        select(SharedStepItem.id).where(SharedStepItem.shared_step_id == shared_step_id)
    ).all()
    if item_ids:
        attachments.unlink_all(session, ITEM_ENTITY, item_ids)
        session.execute(
            delete(SharedStepItem).where(SharedStepItem.shared_step_id == shared_step_id)
        )


def first_item(session: Session, shared_step_id: int) -> SharedStepItem | None:
    return session.scalar(
        select(SharedStepItem)
        .where(SharedStepItem.shared_step_id == shared_step_id, SharedStepItem.parent_id.is_(None))
        .order_by(SharedStepItem.position, SharedStepItem.id)
        .limit(1)
    )
