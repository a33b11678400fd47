"""Plan rules: a plan is an ordered selection of the project's live cases; lookups for runs."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import next_project_number
from testament.kit.schemas import legacy_datetime
from testament.models.base import utcnow
from testament.models.plans import Plan
from testament.plans import repository
from testament.plans.schemas import Plan as PlanSchema
from testament.plans.schemas import PlanCase as PlanCaseSchema
from testament.plans.schemas import PlanCreate, PlanDetailed, PlanUpdate


def plan_id_for_number(
    session: Session, project_id: int, number: int | None, field: str = "plan_id"
) -> int | None:
    """The global id of plan `number` in the project (None for None); 422 naming `field`."""
    return numbered.id_for_number(session, Plan, project_id, number, field=field, label="Plan")


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    """Global plan id -> the number clients see, in one query."""
    return repository.numbers_for_ids(session, ids)


def case_ids_for_plan(
    session: Session, project_id: int, plan_number: int, field: str = "plan_id"
) -> list[tuple[int, int | None]]:
    """`(case global id, assignee user id)` of plan `plan_number`'s live cases, in plan order.

    An unknown plan is a 422 naming `field`.
    """
    plan_id = plan_id_for_number(session, project_id, plan_number, field)
    assert plan_id is not None
    return [(case_id, assignee) for case_id, _, assignee in repository.live_cases(session, plan_id)]


def get_plan(session: Session, ctx: ProjectContext, number: int) -> Plan:
    plan = repository.by_number(session, ctx.project.id, number)
    if plan is None:
        raise NotFound(f"Plan not found: no plan {number} in project {ctx.project.code}.")
    return plan


def _fields(plan: Plan, cases_count: int) -> dict[str, Any]:
    """The fields `Plan` and `PlanDetailed` share."""
    return {
        "id": plan.number,
        "title": plan.title,
        "description": plan.description,
        "cases_count": cases_count,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "created": legacy_datetime(plan.created_at),
        "updated": legacy_datetime(plan.updated_at),
    }


def describe(session: Session, plans: Sequence[Plan]) -> list[PlanSchema]:
    """Plans as the list shows them: one query per page for the counts, whatever its size."""
    counts = repository.cases_counts(session, [p.id for p in plans])
    return [PlanSchema(**_fields(p, counts.get(p.id, 0))) for p in plans]


def describe_detailed(session: Session, plan: Plan) -> PlanDetailed:
    """One plan with its live cases in plan order and the average duration of their results."""
    cases = repository.live_cases(session, plan.id)
    return PlanDetailed(
        **_fields(plan, len(cases)),
        average_time=repository.average_time(session, plan.id),
        cases=[PlanCaseSchema(case_id=number, assignee_id=user) for _, number, user in cases],
    )


def _case_ids(session: Session, project_id: int, numbers: Sequence[int]) -> list[int]:
    """Global ids of the live cases `numbers` name, in order and without repeats; 422 naming
    `cases` when one is unknown or deleted."""
    found = repository.live_case_ids(session, project_id, numbers)
    missing = list(dict.fromkeys(n for n in numbers if n not in found))
    if missing:
        shown = ", ".join(str(n) for n in missing[:20])
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise Invalid.field("cases", f"Test cases not found in this project: {shown}{more}.")
    return list(dict.fromkeys(found[n] for n in numbers))


def create_plan(session: Session, ctx: ProjectContext, data: PlanCreate) -> Plan:
    project_id = ctx.project.id
    case_ids = _case_ids(session, project_id, data.cases)
    plan = Plan(
        project_id=project_id,
        number=next_project_number(session, project_id, "plan"),
        title=data.title,
        description=data.description,
        author_id=ctx.actor.author_id,
    )
    session.add(plan)
    session.flush()
    repository.replace_cases(session, plan, case_ids)
    audit.created(
        session,
        ctx.actor,
        "plan",
        plan.number,
        project_id=project_id,
        changes={"title": data.title, "cases": len(case_ids)},
    )
    return plan


def update_plan(session: Session, ctx: ProjectContext, number: int, data: PlanUpdate) -> Plan:
    """Change the fields sent; `cases` replaces the case list."""
    plan = get_plan(session, ctx, number)
    sent = data.model_fields_set
    case_ids = None
    if "cases" in sent and data.cases is not None:
        case_ids = _case_ids(session, ctx.project.id, data.cases)
    for field in ("title", "description"):
        if field in sent:
            setattr(plan, field, getattr(data, field))
    # Always written, even when only the cases change; and flushed first, so the plan row is
    # locked before its case list is replaced: concurrent updates of one plan take turns.
    plan.updated_at = utcnow()
    session.flush()
    if case_ids is not None:
        repository.replace_cases(session, plan, case_ids)
    changes = data.model_dump(include={"title", "description"} & sent)
    if case_ids is not None:
        changes["cases"] = len(case_ids)
    audit.updated(session, ctx.actor, "plan", number, project_id=ctx.project.id, changes=changes)
    return plan


def delete_plan(session: Session, ctx: ProjectContext, number: int) -> None:
    """Delete the plan and its case list; runs started from it keep existing without it."""
    plan = get_plan(session, ctx, number)
    audit.deleted(session, ctx.actor, "plan", number, project_id=ctx.project.id)
    session.delete(plan)
    session.flush()
