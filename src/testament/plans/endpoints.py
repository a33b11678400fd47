"""`/v1/plan` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from testament.access.context import ProjectContext
from testament.http.deps import Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult
from testament.kit.repository import NUMBER_MAX
from testament.plans import listing, service
from testament.plans.schemas import Plan, PlanCreate, PlanDetailed, PlanId, PlanUpdate

router = APIRouter(prefix="/plan", tags=["plans"])

CanRead = Annotated[ProjectContext, Depends(project_access("plan.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("plan.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("plan.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("plan.delete"))]
PlanNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Identifier.")]


@router.get("/{code}", operation_id="get-plans", response_model=Envelope[ListResult[Plan]])
def get_plans(ctx: CanRead, session: SessionDep, page: Page) -> object:
    """List the project's plans."""
    return Envelope(result=listing.list_plans(session, ctx, page))


@router.post("/{code}", operation_id="create-plan", response_model=Envelope[PlanId])
def create_plan(ctx: CanCreate, session: SessionDep, body: PlanCreate) -> object:
    """Create a plan from the project's cases; answers its id."""
    plan = service.create_plan(session, ctx, body)
    return Envelope(result=PlanId(id=plan.number))


@router.get("/{code}/{id}", operation_id="get-plan", response_model=Envelope[PlanDetailed])
def get_plan(ctx: CanRead, session: SessionDep, id: PlanNumber) -> object:
    """Get a plan with its cases and the average duration of their results."""
    plan = service.get_plan(session, ctx, id)
    return Envelope(result=service.describe_detailed(session, plan))


@router.patch("/{code}/{id}", operation_id="update-plan", response_model=Envelope[PlanId])
def update_plan(ctx: CanUpdate, session: SessionDep, id: PlanNumber, body: PlanUpdate) -> object:
    """Update the fields sent; `cases` replaces the plan's case list."""
    plan = service.update_plan(session, ctx, id, body)
    return Envelope(result=PlanId(id=plan.number))


@router.delete("/{code}/{id}", operation_id="delete-plan", response_model=Envelope[PlanId])
def delete_plan(ctx: CanDelete, session: SessionDep, id: PlanNumber) -> object:
    """Delete a plan; runs started from it stay, without the plan."""
    service.delete_plan(session, ctx, id)
    return Envelope(result=PlanId(id=id))
