"""The filters of an environment list, typed: read from `GET /environment/{code}`'s query here,
and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnvironmentFilters:
    search: str | None = None  # in the title, ignoring case
    slug: str | None = None  # equal to

    @property
    def any(self) -> bool:
        return self.search is not None or self.slug is not None

    @classmethod
    def from_query(
        cls, *, search: str | None = None, slug: str | None = None
    ) -> EnvironmentFilters:
        """From the query parameters; an empty value filters nothing."""
        return cls(search=search or None, slug=slug or None)
