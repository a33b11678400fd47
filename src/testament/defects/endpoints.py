"""`/v1/defect` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.defects import listing, service
from testament.defects.filters import DefectFilters
from testament.defects.schemas import (
    Defect,
    DefectCreate,
    DefectId,
    DefectStatus,
    DefectStatusSlug,
    DefectUpdate,
)
from testament.http.deps import BaseUrl, Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.kit.repository import NUMBER_MAX

router = APIRouter(prefix="/defect", tags=["defects"])

CanRead = Annotated[ProjectContext, Depends(project_access("defect.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("defect.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("defect.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("defect.delete"))]
DefectNumber = Annotated[
    int, Path(ge=1, le=NUMBER_MAX, description="Defect id within the project.")
]


@router.get("/{code}", operation_id="get-defects", response_model=Envelope[ListResult[Defect]])
def get_defects(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    base_url: BaseUrl,
    status: Annotated[
        DefectStatusSlug | None, Query(description="Only defects in this status.")
    ] = None,
) -> object:
    """List the project's defects in id order, optionally only those in one status."""
    filters = DefectFilters.from_query(status=status)
    listed = listing.list_defects(session, ctx, filters, page, base_url=base_url)
    return Envelope(result=listed)


@router.post("/{code}", operation_id="create-defect", response_model=Envelope[DefectId])
def create_defect(ctx: CanCreate, session: SessionDep, body: DefectCreate) -> object:
    """Create an open defect; answers its id."""
    defect = service.create_defect(session, ctx, body)
    return Envelope(result=DefectId(id=defect.number))


@router.get("/{code}/{id}", operation_id="get-defect", response_model=Envelope[Defect])
def get_defect(ctx: CanRead, session: SessionDep, base_url: BaseUrl, id: DefectNumber) -> object:
    """Get a defect by id."""
    defect = service.get_defect(session, ctx, id)
    return Envelope(result=service.describe(session, [defect], base_url)[0])


@router.patch("/{code}/{id}", operation_id="update-defect", response_model=Envelope[DefectId])
def update_defect(
    ctx: CanUpdate, session: SessionDep, id: DefectNumber, body: DefectUpdate
) -> object:
    """Update the fields sent."""
    defect = service.update_defect(session, ctx, id, body)
    return Envelope(result=DefectId(id=defect.number))


@router.delete("/{code}/{id}", operation_id="delete-defect", response_model=Envelope[DefectId])
def delete_defect(ctx: CanDelete, session: SessionDep, id: DefectNumber) -> object:
    """Delete a defect and its links (attachments, custom field values, tags, results)."""
    service.delete_defect(session, ctx, id)
    return Envelope(result=DefectId(id=id))


@router.patch(
    "/{code}/resolve/{id}", operation_id="resolve-defect", response_model=Envelope[DefectId]
)
def resolve_defect(ctx: CanUpdate, session: SessionDep, id: DefectNumber) -> object:
    """Mark the defect resolved, stamping `resolved_at`."""
    defect = service.resolve_defect(session, ctx, id)
    return Envelope(result=DefectId(id=defect.number))


@router.patch("/{code}/status/{id}", operation_id="update-defect-status", response_model=StatusOnly)
def update_defect_status(
    ctx: CanUpdate, session: SessionDep, id: DefectNumber, body: DefectStatus
) -> object:
    """Move the defect to `in_progress`, `resolved` or `invalid`."""
    service.set_status(session, ctx, id, body.status)
    return StatusOnly()
