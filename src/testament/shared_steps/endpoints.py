"""`/v1/shared_step/{code}` routes: parse, authorize, call the service, wrap in the envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.http.deps import BaseUrl, Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult
from testament.shared_steps import listing, render, service
from testament.shared_steps.filters import SharedStepFilters
from testament.shared_steps.schemas import (
    HASH_MAX_LENGTH,
    SharedStep,
    SharedStepCreate,
    SharedStepHash,
    SharedStepUpdate,
)

router = APIRouter(prefix="/shared_step", tags=["shared-steps"])

CanRead = Annotated[ProjectContext, Depends(project_access("shared_step.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("shared_step.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("shared_step.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("shared_step.delete"))]
Hash = Annotated[str, Path(min_length=1, max_length=HASH_MAX_LENGTH, description="Hash.")]


@router.get(
    "/{code}", operation_id="get-shared-steps", response_model=Envelope[ListResult[SharedStep]]
)
def get_shared_steps(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    base_url: BaseUrl,
    search: Annotated[
        str | None, Query(max_length=255, description="Search by title (case-insensitive).")
    ] = None,
) -> object:
    """List the project's shared steps, optionally searched by title."""
    filters = SharedStepFilters.from_query(search=search)
    listed = listing.list_shared_steps(session, ctx, filters, page, base_url=base_url)
    return Envelope(result=listed)


@router.post("/{code}", operation_id="create-shared-step", response_model=Envelope[SharedStepHash])
def create_shared_step(ctx: CanCreate, session: SessionDep, body: SharedStepCreate) -> object:
    """Create a shared step; answers its hash."""
    shared_step = service.create(session, ctx, body)
    return Envelope(result=SharedStepHash(hash=shared_step.hash))


@router.get("/{code}/{hash}", operation_id="get-shared-step", response_model=Envelope[SharedStep])
def get_shared_step(ctx: CanRead, session: SessionDep, base_url: BaseUrl, hash: Hash) -> object:
    """Get a shared step by hash, with its steps and the cases using it."""
    shared_step = service.get_by_hash(session, ctx.project.id, hash)
    return Envelope(result=render.describe(session, [shared_step], base_url)[0])


@router.patch(
    "/{code}/{hash}", operation_id="update-shared-step", response_model=Envelope[SharedStepHash]
)
def update_shared_step(
    ctx: CanUpdate, session: SessionDep, hash: Hash, body: SharedStepUpdate
) -> object:
    """Update a shared step; every case using it shows the new content."""
    shared_step = service.get_by_hash(session, ctx.project.id, hash, for_update=True)
    service.update_shared_step(session, ctx, shared_step, body)
    return Envelope(result=SharedStepHash(hash=shared_step.hash))


@router.delete(
    "/{code}/{hash}", operation_id="delete-shared-step", response_model=Envelope[SharedStepHash]
)
def delete_shared_step(ctx: CanDelete, session: SessionDep, hash: Hash) -> object:
    """Delete a shared step and remove it from the cases using it."""
    shared_step = service.get_by_hash(session, ctx.project.id, hash, for_update=True)
    deleted = shared_step.hash
    service.delete_shared_step(session, ctx, shared_step)
    return Envelope(result=SharedStepHash(hash=deleted))
