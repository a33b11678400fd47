"""The filters of the custom field list (v1 and v2), typed: read from `GET /custom_field`'s query
here (FastAPI has checked the slugs), and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass

from testament.custom_fields.kinds import EntitySlug, TypeSlug
from testament.kit.filters import ListFilters


@dataclass(frozen=True)
class CustomFieldFilters(ListFilters):
    entity: EntitySlug | None = None  # fields of cases, runs or defects
    type: TypeSlug | None = None

    @classmethod
    def from_query(
        cls, *, entity: EntitySlug | None = None, type: TypeSlug | None = None
    ) -> CustomFieldFilters:
        """From the query parameters."""
        return cls(entity=entity, type=type)
