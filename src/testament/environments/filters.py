"""The filters of an environment list, typed: read from `GET /environment/{code}`'s query here,
and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass

from testament.kit.filters import ListFilters


@dataclass(frozen=True)
class EnvironmentFilters(ListFilters):
    search: str | None = None  # in the title, ignoring case
    slug: str | None = None  # equal to

    @classmethod
    def from_query(
        cls, *, search: str | None = None, slug: str | None = None
    ) -> EnvironmentFilters:
        """From the query parameters; an empty value filters nothing."""
        return cls(search=search or None, slug=slug or None)
