"""Suite rules: nesting without cycles, positions among siblings, deletion with or without a
destination for the cases."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import next_project_number
from testament.kit.schemas import legacy_datetime
from testament.models.base import utcnow
from testament.models.cases import Case
from testament.models.suites import Suite
from testament.suites import repository
from testament.suites.schemas import Suite as SuiteSchema
from testament.suites.schemas import SuiteCreate, SuiteDelete, SuiteUpdate


def suite_id_for_number(
    session: Session, project_id: int, number: int | None, field: str = "suite_id"
) -> int | None:
    """The global id of suite `number` in the project (None for None); 422 naming `field`."""
    return numbered.id_for_number(session, Suite, project_id, number, field=field, label="Suite")


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    """Global suite id -> the number clients see, in one query."""
    return repository.numbers_for_ids(session, ids)


def get_suite(session: Session, ctx: ProjectContext, number: int) -> Suite:
    suite = repository.by_number(session, ctx.project.id, number)
    if suite is None:
        raise NotFound(f"Suite not found: no suite {number} in project {ctx.project.code}.")
    return suite


def describe(session: Session, suites: Sequence[Suite]) -> list[SuiteSchema]:
    """Suites as the API shows them: two queries per page, whatever its size."""
    counts = repository.cases_counts(session, [s.id for s in suites])
    parents = repository.numbers_for_ids(
        session, {s.parent_id for s in suites if s.parent_id is not None}
    )
    return [
        SuiteSchema(
            id=s.number,
            title=s.title,
            description=s.description,
            preconditions=s.preconditions,
            position=s.position,
            cases_count=counts.get(s.id, 0),
            parent_id=parents[s.parent_id] if s.parent_id is not None else None,
            created=legacy_datetime(s.created_at),
            updated=legacy_datetime(s.updated_at),
            created_at=s.created_at,
            updated_at=s.updated_at,
        )
        for s in suites
    ]


def create_suite(session: Session, ctx: ProjectContext, data: SuiteCreate) -> Suite:
    project_id = ctx.project.id
    parent_id = suite_id_for_number(session, project_id, data.parent_id, "parent_id")
    suite = Suite(
        project_id=project_id,
        number=next_project_number(session, project_id, "suite"),
        parent_id=parent_id,
        position=repository.next_position(session, project_id, parent_id),
        title=data.title,
        description=data.description,
        preconditions=data.preconditions,
    )
    session.add(suite)
    session.flush()
    audit.created(
        session,
        ctx.actor,
        "suite",
        suite.number,
        project_id=project_id,
        changes={"title": data.title, "parent_id": data.parent_id},
    )
    return suite


def update_suite(session: Session, ctx: ProjectContext, number: int, data: SuiteUpdate) -> Suite:
    """Change the fields sent; a new parent may not be the suite itself or below it."""
    suite = get_suite(session, ctx, number)
    sent = data.model_fields_set
    if "parent_id" in sent:
        parent_id = suite_id_for_number(session, ctx.project.id, data.parent_id, "parent_id")
        if parent_id is not None and parent_id in dict(repository.subtree(session, suite)):
            raise Invalid.field(
                "parent_id",
                f"Suite {data.parent_id} is suite {number} itself or nested in it: "
                "a suite cannot be moved into its own subtree.",
            )
        if parent_id != suite.parent_id:
            suite.parent_id = parent_id
            suite.position = repository.next_position(session, ctx.project.id, parent_id)
    for field in ("title", "description", "preconditions"):
        if field in sent:
            setattr(suite, field, getattr(data, field))
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        "suite",
        number,
        project_id=ctx.project.id,
        changes=data.model_dump(exclude_unset=True),
    )
    return suite


def delete_suite(session: Session, ctx: ProjectContext, number: int, data: SuiteDelete) -> None:
    """Delete the suite and every suite nested in it.

    With `destination_id`, the live cases of all those suites move to the end of the destination
    suite (which may not be one of the deleted suites), keeping their order. Without it the
    cases are deleted with their suites, as the contract says: soft-deleted (`deleted_at` set),
    like a case deleted on its own, so runs and results keep showing them. Either way no case is
    left pointing at a deleted suite.
    """
    suite = get_suite(session, ctx, number)
    tree = repository.subtree(session, suite)
    suite_ids = [suite_id for suite_id, _ in tree]
    moved = 0
    destination_id = suite_id_for_number(
        session, ctx.project.id, data.destination_id, "destination_id"
    )
    if destination_id is not None:
        if destination_id in suite_ids:
            raise Invalid.field(
                "destination_id",
                f"Suite {data.destination_id} is deleted too: it is suite {number} or nested in it.",
            )
        moved = _move_cases(session, tree, destination_id)
    now = utcnow()
    # Already soft-deleted cases (and, without a destination, all of them) leave the suites.
    session.execute(
        update(Case)
        .where(Case.suite_id.in_(suite_ids))
        .values(suite_id=None, deleted_at=func.coalesce(Case.deleted_at, now))
    )
    session.execute(delete(Suite).where(Suite.id.in_(suite_ids)))
    changes: dict[str, Any] = {"suites_deleted": len(suite_ids)}
    if destination_id is not None:
        changes |= {"destination_id": data.destination_id, "cases_moved": moved}
    audit.deleted(session, ctx.actor, "suite", number, project_id=ctx.project.id, changes=changes)


def _move_cases(session: Session, tree: list[tuple[int, int]], destination_id: int) -> int:
    """Append the live cases of `tree` to the destination: shallower suites first."""
    depth = dict(tree)
    cases = sorted(
        repository.live_cases_in(session, list(depth)),
        key=lambda c: (depth[c[1]], c[1], c[2], c[0]),
    )
    start = repository.last_case_position(session, destination_id) + 1
    if cases:
        session.execute(
            update(Case),
            [
                {"id": case_id, "suite_id": destination_id, "position": start + offset}
                for offset, (case_id, _, _) in enumerate(cases)
            ],
        )
    return len(cases)
