"""v2 custom field schemas, spelled as qase-api-v2's `CustomField` and `CustomFieldOption`: no
legacy `created`/`updated`, and the options (`value`) as a list rather than JSON text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.custom_fields import definitions, kinds
from testament.kit.schemas import ApiModel, WireDateTime
from testament.models.custom_fields import CustomField


class CustomFieldOptionV2(ApiModel):
    id: int
    title: str | None
    # Options carry only an id and a title: no slug, color or icon to show.
    slug: str | None = None
    color: str | None = None
    icon: str | None = None
    is_default: bool | None
    read_only: bool = False


class CustomFieldV2(ApiModel):
    id: int
    title: str
    entity: str
    type: str
    placeholder: str | None
    default_value: str | None
    value: list[CustomFieldOptionV2] | None
    is_required: bool
    is_visible: bool
    is_filterable: bool
    is_enabled_for_all_projects: bool
    created_at: WireDateTime
    updated_at: WireDateTime
    projects_codes: list[str]


def describe_v2(
    session: Session, actor: Actor, fields: Sequence[CustomField]
) -> list[CustomFieldV2]:
    """Fields in the v2 shape, built on the v1 description (the same queries per page)."""
    described = definitions.describe(session, actor, fields)
    shared = set(CustomFieldV2.model_fields) - {"value"}
    return [
        CustomFieldV2(**v1.model_dump(include=shared), value=_options(field))
        for field, v1 in zip(fields, described, strict=True)
    ]


def _options(field: CustomField) -> list[CustomFieldOptionV2] | None:
    """The options of a select field; `is_default` marks the ones its default value picks."""
    if field.type not in kinds.OPTION_TYPES:
        return None
    defaults = set((field.default_value or "").split(","))
    return [
        CustomFieldOptionV2(
            id=int(option["id"]), title=option["title"], is_default=str(option["id"]) in defaults
        )
        for option in field.options or []
    ]
