"""Milestone rules: lookups by number, the due date as a unix timestamp, deletion."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import NotFound
from testament.kit.numbering import next_project_number
from testament.kit.schemas import legacy_datetime
from testament.kit.text_search import contains_ignoring_case
from testament.kit.timestamps import from_unix
from testament.milestones.filters import MilestoneFilters
from testament.milestones.schemas import Milestone as MilestoneSchema
from testament.milestones.schemas import MilestoneCreate, MilestoneUpdate
from testament.models.milestones import Milestone


def milestone_id_for_number(
    session: Session, project_id: int, number: int | None, field: str = "milestone_id"
) -> int | None:
    """The global id of milestone `number` in the project (None for None); 422 naming `field`."""
    return numbered.id_for_number(
        session, Milestone, project_id, number, field=field, label="Milestone"
    )


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    """Global milestone id -> the number clients see, in one query."""
    return numbered.numbers_for_ids(session, Milestone, ids)


def list_statement(project_id: int) -> Select[Milestone]:
    return select(Milestone).where(Milestone.project_id == project_id).order_by(Milestone.number)


def filtered_statement(project_id: int, filters: MilestoneFilters) -> Select[Milestone] | None:
    """The list narrowed by `filters`; None when none is given."""
    if not filters.search:
        return None
    return list_statement(project_id).where(contains_ignoring_case(Milestone.title, filters.search))


def get_milestone(session: Session, ctx: ProjectContext, number: int) -> Milestone:
    milestone = numbered.by_number(session, Milestone, ctx.project.id, number)
    if milestone is None:
        raise NotFound(f"Milestone not found: no milestone {number} in project {ctx.project.code}.")
    return milestone


def _due(timestamp: int | None) -> datetime | None:
    return None if timestamp is None else from_unix(timestamp)


def to_schema(milestone: Milestone) -> MilestoneSchema:
    status = "completed" if milestone.status == "completed" else "active"
    return MilestoneSchema(
        id=milestone.number,
        title=milestone.title,
        description=milestone.description,
        status=status,
        due_date=milestone.due_date,
        created=legacy_datetime(milestone.created_at),
        updated=legacy_datetime(milestone.updated_at),
        created_at=milestone.created_at,
        updated_at=milestone.updated_at,
    )


def to_schemas(milestones: Sequence[Milestone]) -> list[MilestoneSchema]:
    return [to_schema(m) for m in milestones]


def create_milestone(session: Session, ctx: ProjectContext, data: MilestoneCreate) -> Milestone:
    milestone = Milestone(
        project_id=ctx.project.id,
        number=next_project_number(session, ctx.project.id, "milestone"),
        title=data.title,
        description=data.description,
        status=data.status,
        due_date=_due(data.due_date),
    )
    session.add(milestone)
    session.flush()
    audit.created(
        session,
        ctx.actor,
        "milestone",
        milestone.number,
        project_id=ctx.project.id,
        changes=data.model_dump(),
    )
    return milestone


def update_milestone(
    session: Session, ctx: ProjectContext, number: int, data: MilestoneUpdate
) -> Milestone:
    milestone = get_milestone(session, ctx, number)
    sent = data.model_fields_set
    for field in ("title", "description", "status"):
        if field in sent:
            setattr(milestone, field, getattr(data, field))
    if "due_date" in sent:
        milestone.due_date = _due(data.due_date)
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        "milestone",
        number,
        project_id=ctx.project.id,
        changes=data.model_dump(exclude_unset=True),
    )
    return milestone


def delete_milestone(session: Session, ctx: ProjectContext, number: int) -> None:
    """Delete the milestone; cases, runs and defects keep existing with no milestone (SET NULL)."""
    milestone = get_milestone(session, ctx, number)
    audit.deleted(session, ctx.actor, "milestone", number, project_id=ctx.project.id)
    session.delete(milestone)
    session.flush()
