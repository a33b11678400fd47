"""The author list: what `GET /author`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.authors import service
from testament.authors.filters import AuthorFilters
from testament.authors.schemas import Author
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_authors(session: Session, filters: AuthorFilters, page: PageParams) -> ListResult[Author]:
    """A page of every author (users and apps) by id, by name and type."""
    return paginate(
        session,
        scope=service.list_statement(),
        filtered=service.filtered_statement(filters),
        page=page,
        to_entities=service.to_schemas,
    )
