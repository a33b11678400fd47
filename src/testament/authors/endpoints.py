"""`/v1/author` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from testament.access.actor import Actor
from testament.authors import listing, service
from testament.authors.filters import AuthorFilters, AuthorType
from testament.authors.schemas import Author
from testament.http.deps import Page, SessionDep, require
from testament.kit.envelope import Envelope, ListResult

router = APIRouter(prefix="/author", tags=["authors"])

CanReadAuthors = Annotated[Actor, Depends(require("author.read"))]


@router.get("", operation_id="get-authors", response_model=Envelope[ListResult[Author]])
def get_authors(
    _actor: CanReadAuthors,
    session: SessionDep,
    page: Page,
    search: Annotated[str | None, Query(max_length=255, description="Search by name.")] = None,
    type: Annotated[AuthorType | None, Query()] = None,
) -> object:
    """List authors, optionally searched by name and filtered by type."""
    filters = AuthorFilters.from_query(search=search, type=type)
    return Envelope(result=listing.list_authors(session, filters, page))


@router.get("/{id}", operation_id="get-author", response_model=Envelope[Author])
def get_author(_actor: CanReadAuthors, session: SessionDep, id: str) -> object:
    """Get an author by UUID or by the deprecated integer id."""
    return Envelope(result=service.to_schema(service.get_author(session, id)))
