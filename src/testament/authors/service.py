"""Authors: who is credited with work, users and apps alike (`/author`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testament.authors.filters import AuthorFilters
from testament.authors.schemas import Author as AuthorSchema
from testament.kit.errors import BadRequest, FieldError, NotFound
from testament.kit.repository import ID_MAX
from testament.kit.text_search import contains_ignoring_case
from testament.models.identity import Author


def list_statement() -> Select[Author]:
    return select(Author).order_by(Author.id)


def filtered_statement(filters: AuthorFilters) -> Select[Author] | None:
    """The list narrowed by `filters`; None when none is given."""
    if not filters.any:
        return None
    statement = list_statement()
    if filters.search:
        statement = statement.where(contains_ignoring_case(Author.name, filters.search))
    if filters.type:
        statement = statement.where(Author.entity_type == filters.type)
    return statement


def get_author(session: Session, author_ref: str) -> Author:
    """By UUID, or by the deprecated integer id."""
    if author_ref.isdigit():
        author = session.get(Author, int(author_ref)) if int(author_ref) <= ID_MAX else None
    else:
        try:
            canonical = str(uuid.UUID(author_ref))
        except ValueError:
            raise BadRequest(
                "Invalid parameter: id must be an author UUID or integer id.",
                [FieldError("id", "must be a UUID or an integer")],
            ) from None
        author = session.scalar(select(Author).where(Author.uuid == canonical))
    if author is None:
        raise NotFound(f"Author {author_ref} not found.")
    return author


def to_schema(author: Author) -> AuthorSchema:
    return AuthorSchema(
        id=author.id,
        uuid=author.uuid,
        author_id=author.id,
        entity_type=author.entity_type,
        entity_id=author.entity_id,
        email=author.email,
        name=author.name,
        is_active=author.is_active,
    )


def to_schemas(authors: Sequence[Author]) -> list[AuthorSchema]:
    return [to_schema(author) for author in authors]
