"""Plan queries: lookups by number, the plan's live cases, and the per-page batches behind the
response."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from testament.kit import repository as numbered
from testament.models.cases import Case
from testament.models.plans import Plan, PlanCase
from testament.models.results import Result


def by_number(session: Session, project_id: int, number: int) -> Plan | None:
    return numbered.by_number(session, Plan, project_id, number)


def list_statement(project_id: int) -> Select[Plan]:
    return select(Plan).where(Plan.project_id == project_id).order_by(Plan.number)


def live_case_ids(session: Session, project_id: int, numbers: Sequence[int]) -> dict[int, int]:
    """Case number -> global id, for the numbers naming live cases of the project."""
    return numbered.ids_for_numbers(session, Case, project_id, numbers, Case.deleted_at.is_(None))


def replace_cases(session: Session, plan: Plan, case_ids: Iterable[int]) -> None:
    """Make `case_ids` (in order) the plan's cases, keeping the assignee of a case that stays."""
    current = session.execute(
        select(PlanCase.case_id, PlanCase.assignee_id).where(PlanCase.plan_id == plan.id)
    )
    kept = {row[0]: row[1] for row in current}
    session.execute(delete(PlanCase).where(PlanCase.plan_id == plan.id))
    rows = [
        {
            "project_id": plan.project_id,
            "plan_id": plan.id,
            "case_id": case_id,
            "assignee_id": kept.get(case_id),
            "position": position,
        }
        for position, case_id in enumerate(case_ids, start=1)
    ]
    if rows:
        session.execute(insert(PlanCase), rows)


def cases_counts(session: Session, plan_ids: Collection[int]) -> dict[int, int]:
    """Live (not soft-deleted) cases in each plan."""
    if not plan_ids:
        return {}
    rows = session.execute(
        select(PlanCase.plan_id, func.count())
        .join(Case, Case.id == PlanCase.case_id)
        .where(PlanCase.plan_id.in_(plan_ids), Case.deleted_at.is_(None))
        .group_by(PlanCase.plan_id)
    )
    return {row[0]: row[1] for row in rows}


def live_cases(session: Session, plan_id: int) -> list[tuple[int, int, int | None]]:
    """`(case id, case number, assignee id)` of the plan's live cases, in plan order."""
    rows = session.execute(
        select(Case.id, Case.number, PlanCase.assignee_id)
        .select_from(PlanCase)
        .join(Case, Case.id == PlanCase.case_id)
        .where(PlanCase.plan_id == plan_id, Case.deleted_at.is_(None))
        .order_by(PlanCase.position, Case.number)
    )
    return [(row[0], row[1], row[2]) for row in rows]


def average_time(session: Session, plan_id: int) -> float:
    """Mean `time_ms` of the results of the plan's live cases that recorded one (0 if none)."""
    mean = session.scalar(
        select(func.avg(Result.time_ms))
        .join(PlanCase, PlanCase.case_id == Result.case_id)
        .join(Case, Case.id == PlanCase.case_id)
        .where(
            PlanCase.plan_id == plan_id,
            Case.deleted_at.is_(None),
            Result.time_ms.is_not(None),
        )
    )
    return round(float(mean), 3) if mean is not None else 0.0


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    return numbered.numbers_for_ids(session, Plan, ids)
