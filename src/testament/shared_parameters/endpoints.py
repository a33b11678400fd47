"""`/v1/shared_parameter` routes: parse, authorize, call the service, wrap in the envelope."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query

from testament.access.actor import Actor
from testament.http.deps import Page, SessionDep, require
from testament.kit.envelope import Envelope, ListResult
from testament.shared_parameters import listing, service
from testament.shared_parameters.filters import PROJECT_CODES_FILTER, SharedParameterFilters
from testament.shared_parameters.schemas import (
    ParameterType,
    SharedParameter,
    SharedParameterCreate,
    SharedParameterId,
    SharedParameterUpdate,
)

router = APIRouter(prefix="/shared_parameter", tags=["shared-parameters"])

CanRead = Annotated[Actor, Depends(require("shared_parameter.read"))]
CanCreate = Annotated[Actor, Depends(require("shared_parameter.create"))]
CanUpdate = Annotated[Actor, Depends(require("shared_parameter.update"))]
CanDelete = Annotated[Actor, Depends(require("shared_parameter.delete"))]
ParameterId = Annotated[UUID, Path(description="Shared parameter id (a UUID).")]


@router.get(
    "",
    operation_id="get-shared-parameters",
    response_model=Envelope[ListResult[SharedParameter]],
)
def get_shared_parameters(
    actor: CanRead,
    session: SessionDep,
    page: Page,
    search: Annotated[
        str | None, Query(alias="filters[search]", max_length=255, description="Search by title.")
    ] = None,
    parameter_type: Annotated[ParameterType | None, Query(alias="filters[type]")] = None,
    project_codes: Annotated[
        list[str] | None,
        Query(
            alias=PROJECT_CODES_FILTER,
            description="Enabled in any of these projects (repeated, or comma-separated).",
        ),
    ] = None,
) -> object:
    """List shared parameters, filtered by title, type and the projects they are enabled in."""
    filters = SharedParameterFilters.from_query(
        search=search, type=parameter_type, project_codes=project_codes
    )
    return Envelope(result=listing.list_shared_parameters(session, actor, filters, page))


@router.post("", operation_id="create-shared-parameter", response_model=Envelope[SharedParameterId])
def create_shared_parameter(
    actor: CanCreate, session: SessionDep, body: SharedParameterCreate
) -> object:
    """Create a shared parameter; answers its id."""
    shared = service.create(session, actor, body)
    return Envelope(result=SharedParameterId(id=str(shared.uuid)))


@router.get("/{id}", operation_id="get-shared-parameter", response_model=Envelope[SharedParameter])
def get_shared_parameter(actor: CanRead, session: SessionDep, id: ParameterId) -> object:
    """Get a shared parameter by id."""
    shared = service.get_by_uuid(session, actor, id)
    return Envelope(result=service.describe(session, actor, [shared])[0])


@router.patch(
    "/{id}", operation_id="update-shared-parameter", response_model=Envelope[SharedParameterId]
)
def update_shared_parameter(
    actor: CanUpdate, session: SessionDep, id: ParameterId, body: SharedParameterUpdate
) -> object:
    """Update a shared parameter; every case using it shows the new values."""
    shared = service.get_by_uuid(session, actor, id, for_update=True)
    service.update_parameter(session, actor, shared, body)
    return Envelope(result=SharedParameterId(id=str(shared.uuid)))


@router.delete(
    "/{id}", operation_id="delete-shared-parameter", response_model=Envelope[SharedParameterId]
)
def delete_shared_parameter(actor: CanDelete, session: SessionDep, id: ParameterId) -> object:
    """Delete a shared parameter along with its usages in cases and open reviews."""
    shared = service.get_by_uuid(session, actor, id, for_update=True)
    deleted = str(shared.uuid)
    service.delete_parameter(session, actor, shared)
    return Envelope(result=SharedParameterId(id=deleted))
