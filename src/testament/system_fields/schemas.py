"""System field schemas, spelled as the contract's `SystemField` and `SystemFieldOption`."""

from __future__ import annotations

from testament.kit.schemas import ApiModel
from testament.system_fields import catalog


class SystemFieldOption(ApiModel):
    id: int
    title: str
    slug: str
    color: str | None
    icon: str | None
    is_default: bool
    read_only: bool


class SystemField(ApiModel):
    title: str
    slug: str
    default_value: str | None
    is_required: bool
    entity: int
    type: int
    options: list[SystemFieldOption] | None

    @classmethod
    def from_catalog(cls, spec: catalog.SystemField) -> SystemField:
        return cls(
            title=spec.title,
            slug=spec.slug,
            # Like a custom select field's default: the option id as a string.
            default_value=str(spec.default.id),
            is_required=spec.is_required,
            entity=spec.entity,
            type=spec.type,
            options=[SystemFieldOption.model_validate(option) for option in spec.options],
        )
