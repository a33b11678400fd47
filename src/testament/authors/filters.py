"""The filters of the author list, typed: read from `GET /author`'s query here (FastAPI has
checked `type`), and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AuthorType = Literal["app", "user"]


@dataclass(frozen=True)
class AuthorFilters:
    search: str | None = None  # in the name, ignoring case
    type: AuthorType | None = None

    @property
    def any(self) -> bool:
        return self.search is not None or self.type is not None

    @classmethod
    def from_query(
        cls, *, search: str | None = None, type: AuthorType | None = None
    ) -> AuthorFilters:
        """From the query parameters; an empty search filters nothing."""
        return cls(search=search or None, type=type)
