"""`/v1/custom_field` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.actor import Actor
from testament.custom_fields import definitions, listing
from testament.custom_fields.filters import CustomFieldFilters
from testament.custom_fields.kinds import EntitySlug, TypeSlug
from testament.custom_fields.schemas import (
    CreatedId,
    CustomField,
    CustomFieldCreate,
    CustomFieldUpdate,
)
from testament.http.deps import Page, SessionDep, require
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.kit.repository import ID_MAX

router = APIRouter(prefix="/custom_field", tags=["custom-fields"])

CanRead = Annotated[Actor, Depends(require("custom_field.read"))]
CanCreate = Annotated[Actor, Depends(require("custom_field.create"))]
CanUpdate = Annotated[Actor, Depends(require("custom_field.update"))]
CanDelete = Annotated[Actor, Depends(require("custom_field.delete"))]
FieldId = Annotated[int, Path(ge=1, le=ID_MAX, description="Identifier.")]


@router.get("", operation_id="get-custom-fields", response_model=Envelope[ListResult[CustomField]])
def get_custom_fields(
    actor: CanRead,
    session: SessionDep,
    page: Page,
    entity: Annotated[EntitySlug | None, Query(description="case, run or defect.")] = None,
    type_: Annotated[TypeSlug | None, Query(alias="type", description="The field type.")] = None,
) -> object:
    """List custom fields, optionally of one entity and one type."""
    filters = CustomFieldFilters.from_query(entity=entity, type=type_)
    return Envelope(result=listing.list_custom_fields(session, actor, filters, page))


@router.post("", operation_id="create-custom-field", response_model=Envelope[CreatedId])
def create_custom_field(actor: CanCreate, session: SessionDep, body: CustomFieldCreate) -> object:
    """Create a custom field; answers its id."""
    field = definitions.create_field(session, actor, body)
    return Envelope(result=CreatedId(id=field.id))


@router.get("/{id}", operation_id="get-custom-field", response_model=Envelope[CustomField])
def get_custom_field(actor: CanRead, session: SessionDep, id: FieldId) -> object:
    """Get a custom field by id."""
    field = definitions.get_field(session, id)
    return Envelope(result=definitions.describe(session, actor, [field])[0])


@router.patch("/{id}", operation_id="update-custom-field", response_model=StatusOnly)
def update_custom_field(
    actor: CanUpdate, session: SessionDep, id: FieldId, body: CustomFieldUpdate
) -> object:
    """Update a custom field; options removed or replaced carry stored values along."""
    definitions.update_field(session, actor, id, body)
    return StatusOnly()


@router.delete("/{id}", operation_id="delete-custom-field", response_model=StatusOnly)
def delete_custom_field(actor: CanDelete, session: SessionDep, id: FieldId) -> object:
    """Delete a custom field and its values."""
    definitions.delete_field(session, actor, id)
    return StatusOnly()
