"""The filters of a review list, typed: read from `GET /review/{code}`'s query here (FastAPI has
checked each value's type), and built the same way by the web UI and the query language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from testament.kit.filters import ListFilters


@dataclass(frozen=True)
class ReviewFilters(ListFilters):
    """Each filter given narrows the list."""

    status: str | None = None  # open, merged or declined
    type: str | None = None  # create or edit
    case: int | None = None  # the reviewed case's number in the project
    author_uuid: uuid.UUID | None = None  # created by this author
    reviewer_uuid: uuid.UUID | None = None  # this author is among the reviewers
    search: str | None = None  # in the title, ignoring case

    @classmethod
    def from_query(
        cls,
        *,
        status: str | None = None,
        type: str | None = None,
        case_id: int | None = None,
        author_uuid: uuid.UUID | None = None,
        reviewer_uuid: uuid.UUID | None = None,
        search: str | None = None,
    ) -> ReviewFilters:
        """From the query parameters; an empty value filters nothing."""
        return cls(
            status=status or None,
            type=type or None,
            case=case_id,
            author_uuid=author_uuid,
            reviewer_uuid=reviewer_uuid,
            search=search or None,
        )
