"""A shared step's items: written as rows (nested through `parent_id`), replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.kit.errors import Invalid
from testament.kit.ids import new_public_hash
from testament.kit.trees import TreeRow, insert_forest
from testament.models.shared_steps import SharedStepItem
from testament.shared_steps.schemas import MAX_DEPTH, MAX_ITEMS, StepContentInput

ITEM_ENTITY = "shared_step_item"


@dataclass
class _Tree:
    project_id: int
    shared_step_id: int
    known_attachments: dict[str, int]
    written: int = 0
    attached: list[tuple[TreeRow, list[str]]] = field(default_factory=list)


def write_items(
    session: Session, project_id: int, shared_step_id: int, steps: Sequence[StepContentInput]
) -> None:
    """Insert `steps` (list order is position order, 1..n per level) under the shared step: a
    handful of statements however many steps there are."""
    if not steps:
        raise Invalid.field("steps", "a shared step needs at least one step")
    _check_hashes(steps, "steps", set())
    tree = _Tree(
        project_id,
        shared_step_id,
        attachments.ids_for_hashes(session, project_id, _attachment_hashes(steps)),
    )
    roots = _level_rows(tree, steps, "steps", 1)
    insert_forest(session, SharedStepItem, roots, key=("shared_step_id", "hash"))
    attachments.link_known(
        session,
        project_id,
        ITEM_ENTITY,
        [(row.id, hashes) for row, hashes in tree.attached if row.id is not None],
        tree.known_attachments,
    )


def _check_hashes(steps: Sequence[StepContentInput], where: str, seen: set[str]) -> None:
    """Hashes given by the client must be unique within the shared step."""
    for index, step in enumerate(steps):
        if step.hash is not None:
            if step.hash in seen:
                raise Invalid.field(f"{where}[{index}].hash", f"hash {step.hash!r} is used twice")
            seen.add(step.hash)
        _check_hashes(step.steps, f"{where}[{index}].steps", seen)


def _attachment_hashes(steps: Sequence[StepContentInput]) -> set[str]:
    found: set[str] = set()
    for step in steps:
        found.update(step.attachments or ())
        found |= _attachment_hashes(step.steps)
    return found


def _level_rows(
    tree: _Tree, steps: Sequence[StepContentInput], where: str, depth: int
) -> list[TreeRow]:
    """The rows of one level and, under each, its nested items, checked depth first (the first
    error a client gets is the first step at fault)."""
    if depth > MAX_DEPTH:
        raise Invalid.field(where, f"steps nest at most {MAX_DEPTH} levels deep")
    rows = []
    for index, step in enumerate(steps):
        step_field = f"{where}[{index}]"
        tree.written += 1
        if tree.written > MAX_ITEMS:
            raise Invalid.field("steps", f"a shared step has at most {MAX_ITEMS} steps")
        row = TreeRow(
            {
                "project_id": tree.project_id,
                "shared_step_id": tree.shared_step_id,
                "hash": step.hash or new_public_hash(),
                "action": step.action,
                "expected_result": step.expected_result,
                "data": step.data,
            }
        )
        if step.attachments:
            attachments.require_known(
                tree.known_attachments, step.attachments, f"{step_field}.attachments"
            )
            tree.attached.append((row, step.attachments))
        if step.steps:
            row.children = _level_rows(tree, step.steps, f"{step_field}.steps", depth + 1)
        rows.append(row)
    return rows


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
