"""`/v1/milestone` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.http.deps import Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult
from testament.milestones import listing, service
from testament.milestones.filters import MilestoneFilters
from testament.milestones.schemas import Milestone, MilestoneCreate, MilestoneId, MilestoneUpdate

router = APIRouter(prefix="/milestone", tags=["milestones"])

CanRead = Annotated[ProjectContext, Depends(project_access("milestone.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("milestone.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("milestone.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("milestone.delete"))]
MilestoneNumber = Annotated[int, Path(ge=1, description="Identifier.")]


@router.get(
    "/{code}", operation_id="get-milestones", response_model=Envelope[ListResult[Milestone]]
)
def get_milestones(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    search: Annotated[
        str | None, Query(description="Provide a string that will be used to search by name.")
    ] = None,
) -> object:
    """List the project's milestones, optionally searched by title."""
    filters = MilestoneFilters.from_query(search=search)
    return Envelope(result=listing.list_milestones(session, ctx, filters, page))


@router.post("/{code}", operation_id="create-milestone", response_model=Envelope[MilestoneId])
def create_milestone(ctx: CanCreate, session: SessionDep, body: MilestoneCreate) -> object:
    """Create a milestone; answers its id."""
    milestone = service.create_milestone(session, ctx, body)
    return Envelope(result=MilestoneId(id=milestone.number))


@router.get("/{code}/{id}", operation_id="get-milestone", response_model=Envelope[Milestone])
def get_milestone(ctx: CanRead, session: SessionDep, id: MilestoneNumber) -> object:
    """Get a milestone by id."""
    return Envelope(result=service.to_schema(service.get_milestone(session, ctx, id)))


@router.patch("/{code}/{id}", operation_id="update-milestone", response_model=Envelope[MilestoneId])
def update_milestone(
    ctx: CanUpdate, session: SessionDep, id: MilestoneNumber, body: MilestoneUpdate
) -> object:
    """Update the fields sent."""
    milestone = service.update_milestone(session, ctx, id, body)
    return Envelope(result=MilestoneId(id=milestone.number))


@router.delete(
    "/{code}/{id}", operation_id="delete-milestone", response_model=Envelope[MilestoneId]
)
def delete_milestone(ctx: CanDelete, session: SessionDep, id: MilestoneNumber) -> object:
    """Delete a milestone; cases, runs and defects assigned to it lose the assignment."""
    service.delete_milestone(session, ctx, id)
    return Envelope(result=MilestoneId(id=id))
