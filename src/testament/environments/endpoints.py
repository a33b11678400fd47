"""`/v1/environment` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.environments import listing, service
from testament.environments.filters import EnvironmentFilters
from testament.environments.schemas import (
    Environment,
    EnvironmentCreate,
    EnvironmentId,
    EnvironmentUpdate,
)
from testament.http.deps import Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult
from testament.kit.repository import NUMBER_MAX

router = APIRouter(prefix="/environment", tags=["environments"])

CanRead = Annotated[ProjectContext, Depends(project_access("environment.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("environment.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("environment.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("environment.delete"))]
EnvironmentNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Identifier.")]


@router.get(
    "/{code}", operation_id="get-environments", response_model=Envelope[ListResult[Environment]]
)
def get_environments(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    search: Annotated[
        str | None, Query(description="Environments whose title contains this string.")
    ] = None,
    slug: Annotated[str | None, Query(description="Environments whose slug equals this.")] = None,
) -> object:
    """List the project's environments, optionally by title and slug."""
    filters = EnvironmentFilters.from_query(search=search, slug=slug)
    return Envelope(result=listing.list_environments(session, ctx, filters, page))


@router.post("/{code}", operation_id="create-environment", response_model=Envelope[EnvironmentId])
def create_environment(ctx: CanCreate, session: SessionDep, body: EnvironmentCreate) -> object:
    """Create an environment; answers its id."""
    environment = service.create_environment(session, ctx, body)
    return Envelope(result=EnvironmentId(id=environment.number))


@router.get("/{code}/{id}", operation_id="get-environment", response_model=Envelope[Environment])
def get_environment(ctx: CanRead, session: SessionDep, id: EnvironmentNumber) -> object:
    """Get an environment by id."""
    return Envelope(result=service.to_schemas([service.get_environment(session, ctx, id)])[0])


@router.patch(
    "/{code}/{id}", operation_id="update-environment", response_model=Envelope[EnvironmentId]
)
def update_environment(
    ctx: CanUpdate, session: SessionDep, id: EnvironmentNumber, body: EnvironmentUpdate
) -> object:
    """Update the fields sent."""
    environment = service.update_environment(session, ctx, id, body)
    return Envelope(result=EnvironmentId(id=environment.number))


@router.delete(
    "/{code}/{id}", operation_id="delete-environment", response_model=Envelope[EnvironmentId]
)
def delete_environment(ctx: CanDelete, session: SessionDep, id: EnvironmentNumber) -> object:
    """Delete an environment; runs that used it lose it."""
    service.delete_environment(session, ctx, id)
    return Envelope(result=EnvironmentId(id=id))
