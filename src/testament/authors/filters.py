"""The filters of the author list, typed: read from `GET /author`'s query here (FastAPI has
checked `type`), and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from testament.kit.filters import ListFilters

AuthorType = Literal["app", "user"]


@dataclass(frozen=True)
class AuthorFilters(ListFilters):
    search: str | None = None  # in the name, ignoring case
    type: AuthorType | None = None

    @classmethod
    def from_query(
        cls, *, search: str | None = None, type: AuthorType | None = None
    ) -> AuthorFilters:
        """From the query parameters; an empty search filters nothing."""
        return cls(search=search or None, type=type)
