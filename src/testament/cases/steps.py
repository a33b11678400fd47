"""A case's steps: written as rows (nested through `parent_id`), read back for a page of cases.

A step that refers to a shared step is stored as a reference row; on read it expands into the
shared step's current items, so editing a shared step changes every case that uses it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.cases.schemas import MAX_STEP_DEPTH, MAX_STEPS, Step, StepInput
from testament.kit.errors import Invalid
from testament.kit.ids import new_public_hash
from testament.kit.trees import TreeRow, insert_forest
from testament.models.cases import CaseStep
from testament.shared_steps import service as shared_steps


@dataclass
class _Tree:
    """The rows of one case's steps, built and checked in the order a client reads them."""

    project_id: int
    case_id: int
    gherkin: bool
    shared_ids: dict[str, int]
    known_attachments: dict[str, int]
    written: int = 0
    attached: list[tuple[TreeRow, list[str]]] = field(default_factory=list)


def replace_steps(
    session: Session,
    project_id: int,
    case_id: int,
    steps: Sequence[StepInput],
    *,
    gherkin: bool,
    replacing: bool = True,
) -> None:
    """Replace every step of the case with `steps` (list order is position order): a handful of
    statements however many steps there are. `replacing=False` for a new case, which has none."""
    if replacing:
        old_ids = session.scalars(select(CaseStep.id).where(CaseStep.case_id == case_id)).all()
        if old_ids:
            attachments.unlink_all(session, "step", old_ids)
            session.execute(delete(CaseStep).where(CaseStep.case_id == case_id))
    shared_hashes = _shared_hashes(steps)
    shared_ids = (
        shared_steps.ids_for_hashes(session, project_id, shared_hashes, field="steps")
        if shared_hashes
        else {}
    )
    attachment_hashes = _attachment_hashes(steps)
    tree = _Tree(
        project_id,
        case_id,
        gherkin,
        shared_ids,
        attachments.ids_for_hashes(session, project_id, attachment_hashes),
    )
    roots = _level_rows(tree, steps, "steps", 1)
    if not roots:
        return
    insert_forest(session, CaseStep, roots, key=("case_id", "hash"))
    attachments.link_known(
        session,
        project_id,
        "step",
        [(row.id, hashes) for row, hashes in tree.attached if row.id is not None],
        tree.known_attachments,
    )


def _shared_hashes(steps: Sequence[StepInput]) -> set[str]:
    found = set()
    for step in steps:
        if step.shared:
            found.add(step.shared)
        found |= _shared_hashes(step.steps)
    return found


def _attachment_hashes(steps: Sequence[StepInput]) -> set[str]:
    found: set[str] = set()
    for step in steps:
        found.update(step.attachments or ())
        found |= _attachment_hashes(step.steps)
    return found


def _check_step(step: StepInput, field: str, gherkin: bool) -> None:
    if gherkin:
        if step.value and step.action:
            raise Invalid.field(field, "send the gherkin scenario in `value` or `action`, not both")
        if step.expected_result or step.data or step.attachments or step.shared or step.steps:
            raise Invalid.field(
                field,
                "gherkin steps take only the scenario text (`value`): no expected_result, "
                "data, attachments, shared or nested steps",
            )
        if not (step.value or step.action):
            raise Invalid.field(field, "a gherkin step needs its scenario text in `value`")
        return
    if step.value is not None:
        raise Invalid.field(field, "`value` is for gherkin steps; set steps_type to gherkin")
    if step.shared and (step.action or step.expected_result or step.data or step.steps):
        raise Invalid.field(
            field, "a shared step reference takes no text or nested steps of its own"
        )
    if not step.shared and not step.action:
        raise Invalid.field(f"{field}.action", "each step needs an action (or `shared`)")


def _level_rows(tree: _Tree, steps: Sequence[StepInput], field: str, depth: int) -> list[TreeRow]:
    """The rows of one level and, under each, its nested steps; each step is checked before
    the next, depth first, so the first error a client gets is the first step at fault."""
    if depth > MAX_STEP_DEPTH:
        raise Invalid.field(field, f"steps nest at most {MAX_STEP_DEPTH} levels deep")
    rows = []
    for index, step in enumerate(steps):
        step_field = f"{field}[{index}]"
        _check_step(step, step_field, tree.gherkin)
        tree.written += 1
        if tree.written > MAX_STEPS:
            raise Invalid.field("steps", f"a case has at most {MAX_STEPS} steps")
        row = TreeRow(
            {
                "project_id": tree.project_id,
                "case_id": tree.case_id,
                "hash": new_public_hash(),
                "action": (step.value or step.action or "") if not step.shared else "",
                "expected_result": step.expected_result,
                "data": step.data,
                "shared_step_id": tree.shared_ids[step.shared] if step.shared else None,
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


def steps_for_cases(
    session: Session, case_ids: Collection[int], base_url: str
) -> dict[int, list[Step]]:
    """Each case's steps, nested, with shared references expanded (a fixed number of queries)."""
    if not case_ids:
        return {}
    rows = session.scalars(
        select(CaseStep)
        .where(CaseStep.case_id.in_(case_ids))
        .order_by(CaseStep.case_id, CaseStep.position, CaseStep.id)
    ).all()
    step_files = attachments.for_entities(session, "step", [r.id for r in rows], base_url)
    shared_ids = {r.shared_step_id for r in rows if r.shared_step_id is not None}
    shared = shared_steps.items_for_ids(session, shared_ids) if shared_ids else {}
    item_ids = [item.id for _hash, items in shared.values() for item in items]
    item_files = attachments.for_entities(session, "shared_step_item", item_ids, base_url)

    children: dict[int | None, list[CaseStep]] = defaultdict(list)
    by_case: dict[int, list[CaseStep]] = defaultdict(list)
    for row in rows:
        if row.parent_id is None:
            by_case[row.case_id].append(row)
        else:
            children[row.parent_id].append(row)

    def render_items(items: Sequence[Any], row: CaseStep, shared_hash: str) -> list[dict[str, Any]]:
        nested: dict[int | None, list[Any]] = defaultdict(list)
        for item in items:
            nested[item.parent_id].append(item)

        def level(parent: int | None) -> list[dict[str, Any]]:
            rendered = [
                {
                    "hash": row.hash,
                    "shared_step_hash": shared_hash,
                    "shared_step_nested_hash": item.hash,
                    "action": item.action,
                    "expected_result": item.expected_result,
                    "data": item.data,
                    "attachments": [a.model_dump() for a in item_files.get(item.id, [])],
                    "steps": level(item.id),
                }
                for item in nested.get(parent, [])
            ]
            for position, step in enumerate(rendered, start=1):
                step["position"] = position
            return rendered

        return level(None)

    def render(level: Sequence[CaseStep]) -> list[dict[str, Any]]:
        rendered: list[dict[str, Any]] = []
        for row in level:
            if row.shared_step_id is not None:
                if row.shared_step_id in shared:
                    shared_hash, items = shared[row.shared_step_id]
                    rendered += render_items(items, row, shared_hash)
                continue
            rendered.append(
                {
                    "hash": row.hash,
                    "shared_step_hash": None,
                    "shared_step_nested_hash": None,
                    "action": row.action,
                    "expected_result": row.expected_result,
                    "data": row.data,
                    "attachments": [a.model_dump() for a in step_files.get(row.id, [])],
                    "steps": render(children.get(row.id, [])),
                }
            )
        for position, step in enumerate(rendered, start=1):
            step["position"] = position
        return rendered

    return {
        case_id: [Step.model_validate(step) for step in render(level)]
        for case_id, level in by_case.items()
    }
