"""Suite queries: lookups by number, subtrees, and the per-page batches behind the response."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session, aliased

from testament.kit import repository as numbered
from testament.kit.text_search import contains_ignoring_case
from testament.models.cases import Case
from testament.models.suites import Suite
from testament.suites.filters import SuiteFilters


def by_number(session: Session, project_id: int, number: int) -> Suite | None:
    return numbered.by_number(session, Suite, project_id, number)


def list_statement(project_id: int) -> Select[Suite]:
    return select(Suite).where(Suite.project_id == project_id).order_by(Suite.number)


def filtered_statement(project_id: int, filters: SuiteFilters) -> Select[Suite] | None:
    """The list narrowed by `filters`; None when none is given."""
    if not filters.search:
        return None
    return list_statement(project_id).where(contains_ignoring_case(Suite.title, filters.search))


def subtree(session: Session, root: Suite) -> list[tuple[int, int]]:
    """`(id, depth)` of `root` and every suite below it, `root` first (one recursive query)."""
    tree = (
        select(Suite.id, literal(0).label("depth"))
        .where(Suite.id == root.id)
        .cte("suite_tree", recursive=True)
    )
    child = aliased(Suite)
    tree = tree.union_all(
        select(child.id, tree.c.depth + 1).where(
            child.parent_id == tree.c.id, child.project_id == root.project_id
        )
    )
    rows = session.execute(select(tree.c.id, tree.c.depth).order_by(tree.c.depth, tree.c.id))
    return [(row[0], row[1]) for row in rows]


def next_position(session: Session, project_id: int, parent_id: int | None) -> int:
    """One past the last position among the children of `parent_id` (the root when None)."""
    parent = Suite.parent_id.is_(None) if parent_id is None else Suite.parent_id == parent_id
    last = session.scalar(
        select(func.max(Suite.position)).where(Suite.project_id == project_id, parent)
    )
    return int(last or 0) + 1


def cases_counts(session: Session, suite_ids: Collection[int]) -> dict[int, int]:
    """Live (not soft-deleted) cases directly in each suite."""
    if not suite_ids:
        return {}
    rows = session.execute(
        select(Case.suite_id, func.count())
        .where(Case.suite_id.in_(suite_ids), Case.deleted_at.is_(None))
        .group_by(Case.suite_id)
    )
    return {row[0]: row[1] for row in rows if row[0] is not None}


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    return numbered.numbers_for_ids(session, Suite, ids)


def live_cases_in(session: Session, suite_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """`(id, suite_id, position)` of the live cases in the given suites."""
    rows = session.execute(
        select(Case.id, Case.suite_id, Case.position).where(
            Case.suite_id.in_(suite_ids), Case.deleted_at.is_(None)
        )
    )
    return [(row[0], row[1], row[2]) for row in rows if row[1] is not None]


def last_case_position(session: Session, suite_id: int) -> int:
    last = session.scalar(select(func.max(Case.position)).where(Case.suite_id == suite_id))
    return int(last or 0)
