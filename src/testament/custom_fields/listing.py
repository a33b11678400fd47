"""The custom field list, in the v1 and the v2 shape: what `GET /v1/custom_field`,
`GET /v2/custom_field`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.custom_fields import definitions
from testament.custom_fields.filters import CustomFieldFilters
from testament.custom_fields.schemas import CustomField
from testament.custom_fields.schemas_v2 import CustomFieldV2, describe_v2
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_custom_fields(
    session: Session, actor: Actor, filters: CustomFieldFilters, page: PageParams
) -> ListResult[CustomField]:
    """A page of the custom fields by id, filtered; each lists the projects `actor` may see."""
    scope, filtered = definitions.list_statements(filters)
    return paginate(
        session,
        scope=scope,
        filtered=filtered,
        page=page,
        to_entities=lambda fields: definitions.describe(session, actor, fields),
    )


def list_custom_fields_v2(
    session: Session, actor: Actor, filters: CustomFieldFilters, page: PageParams
) -> ListResult[CustomFieldV2]:
    """The same page in the v2 shape."""
    scope, filtered = definitions.list_statements(filters)
    return paginate(
        session,
        scope=scope,
        filtered=filtered,
        page=page,
        to_entities=lambda fields: describe_v2(session, actor, fields),
    )
