"""`/v2/custom_field` routes: the v1 definitions, in the v2 shape."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.actor import Actor
from testament.custom_fields import definitions, kinds, listing
from testament.custom_fields.filters import CustomFieldFilters
from testament.custom_fields.schemas_v2 import CustomFieldV2, describe_v2
from testament.http.deps import Page, SessionDep, require
from testament.kit.envelope import Envelope, ListResult
from testament.kit.repository import ID_MAX

router = APIRouter(prefix="/custom_field", tags=["custom-fields"])

CanRead = Annotated[Actor, Depends(require("custom_field.read"))]
FieldId = Annotated[int, Path(ge=1, le=ID_MAX, description="Identifier.")]


@router.get(
    "", operation_id="get-custom-fields-v2", response_model=Envelope[ListResult[CustomFieldV2]]
)
def get_custom_fields_v2(
    actor: CanRead,
    session: SessionDep,
    page: Page,
    entity: Annotated[kinds.EntitySlug | None, Query(description="case, run or defect.")] = None,
    type_: Annotated[
        kinds.TypeSlug | None, Query(alias="type", description="The field type.")
    ] = None,
) -> object:
    """List custom fields, optionally of one entity and one type."""
    filters = CustomFieldFilters.from_query(entity=entity, type=type_)
    return Envelope(result=listing.list_custom_fields_v2(session, actor, filters, page))


@router.get("/{id}", operation_id="get-custom-field-v2", response_model=Envelope[CustomFieldV2])
def get_custom_field_v2(actor: CanRead, session: SessionDep, id: FieldId) -> object:
    """Get a custom field by id."""
    field = definitions.get_field(session, id)
    return Envelope(result=describe_v2(session, actor, [field])[0])
