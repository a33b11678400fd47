"""The review list: what `GET /review/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.reviews import repository, service
from testament.reviews.filters import ReviewFilters
from testament.reviews.schemas import Review


def list_reviews(
    session: Session, ctx: ProjectContext, filters: ReviewFilters, page: PageParams
) -> ListResult[Review]:
    """A page of the project's reviews by number, filtered."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.list_statement(project_id),
        filtered=repository.filtered_statement(project_id, filters),
        page=page,
        to_entities=lambda reviews: service.describe(session, reviews),
    )
