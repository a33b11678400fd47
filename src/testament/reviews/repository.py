"""Review queries: the list narrowed by typed `ReviewFilters`, and the per-page batches behind
the response."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from testament.kit import repository as numbered
from testament.kit.text_search import contains_ignoring_case
from testament.models.cases import Case
from testament.models.identity import Author
from testament.models.reviews import Review, ReviewReviewer
from testament.models.shared_parameters import SharedParameter
from testament.reviews.filters import ReviewFilters


def by_number(session: Session, project_id: int, number: int) -> Review | None:
    return numbered.by_number(session, Review, project_id, number)


def list_statement(project_id: int) -> Select[Review]:
    return select(Review).where(Review.project_id == project_id).order_by(Review.number)


def _author_ids(author_uuid: uuid.UUID) -> Select[int]:
    return select(Author.id).where(Author.uuid == str(author_uuid))


def filtered_statement(project_id: int, filters: ReviewFilters) -> Select[Review] | None:
    if not filters.any:
        return None
    statement = list_statement(project_id)
    if filters.status is not None:
        statement = statement.where(Review.status == filters.status)
    if filters.type is not None:
        statement = statement.where(Review.type == filters.type)
    if filters.case is not None:
        statement = statement.where(
            numbered.points_to_numbers(Review.case_id, Case, project_id, [filters.case])
        )
    if filters.author_uuid is not None:
        statement = statement.where(Review.author_id.in_(_author_ids(filters.author_uuid)))
    if filters.reviewer_uuid is not None:
        statement = statement.where(
            exists().where(
                ReviewReviewer.review_id == Review.id,
                ReviewReviewer.author_id.in_(_author_ids(filters.reviewer_uuid)),
            )
        )
    if filters.search:
        statement = statement.where(contains_ignoring_case(Review.title, filters.search))
    return statement


def author_uuids(session: Session, author_ids: Collection[int]) -> dict[int, str]:
    if not author_ids:
        return {}
    rows = session.execute(select(Author.id, Author.uuid).where(Author.id.in_(set(author_ids))))
    return {row[0]: row[1] for row in rows}


def reviewers_of(
    session: Session, review_ids: Collection[int]
) -> dict[int, list[tuple[int | None, str | None, str]]]:
    """`(author_id, author uuid, verdict)` of each review's reviewers, in the order assigned."""
    if not review_ids:
        return {}
    rows = session.execute(
        select(
            ReviewReviewer.review_id, ReviewReviewer.author_id, Author.uuid, ReviewReviewer.status
        )
        .outerjoin(Author, Author.id == ReviewReviewer.author_id)
        .where(ReviewReviewer.review_id.in_(set(review_ids)))
        .order_by(ReviewReviewer.review_id, ReviewReviewer.id)
    ).all()
    found: dict[int, list[tuple[int | None, str | None, str]]] = defaultdict(list)
    for review_id, author_id, author_uuid, status in rows:
        found[review_id].append((author_id, author_uuid, status))
    return found


def case_numbers(session: Session, case_ids: Collection[int]) -> dict[int, int]:
    return numbered.numbers_for_ids(session, Case, case_ids)


def authors_by_uuid(session: Session, uuids: Collection[str]) -> dict[str, Author]:
    if not uuids:
        return {}
    rows = session.scalars(select(Author).where(Author.uuid.in_(set(uuids))))
    return {author.uuid: author for author in rows}


def shared_parameter_ids(session: Session, references: Collection[str]) -> dict[str, int]:
    """Global ids of the shared parameters referred to by uuid string; unknown ones left out."""
    parsed: dict[str, uuid.UUID] = {}
    for reference in references:
        try:
            parsed[reference] = uuid.UUID(reference)
        except ValueError:
            continue
    if not parsed:
        return {}
    rows = session.execute(
        select(SharedParameter.uuid, SharedParameter.id).where(
            SharedParameter.uuid.in_(set(parsed.values()))
        )
    )
    found = {row[0]: row[1] for row in rows}
    return {ref: found[value] for ref, value in parsed.items() if value in found}
