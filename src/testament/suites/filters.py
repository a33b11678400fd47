"""The filters of a suite list, typed: read from `GET /suite/{code}`'s query here, and built the
same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass

from testament.kit.filters import ListFilters


@dataclass(frozen=True)
class SuiteFilters(ListFilters):
    search: str | None = None  # in the title, ignoring case

    @classmethod
    def from_query(cls, *, search: str | None = None) -> SuiteFilters:
        """From the query parameters; an empty search filters nothing."""
        return cls(search=search or None)
