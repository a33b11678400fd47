"""`/v1/review` routes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request

from testament.access.context import ProjectContext
from testament.http.deps import Page, SessionDep, project_access
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, ListResult
from testament.kit.repository import NUMBER_MAX
from testament.reviews import listing, service
from testament.reviews.filters import ReviewFilters
from testament.reviews.schemas import (
    Review,
    ReviewBulk,
    ReviewBulkResult,
    ReviewCreate,
    ReviewDetailed,
    ReviewId,
    ReviewStatus,
    ReviewType,
    ReviewUpdate,
)

router = APIRouter(prefix="/review", tags=["reviews"])

CanRead = Annotated[ProjectContext, Depends(project_access("review.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("review.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("review.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("review.delete"))]
ReviewNumber = Annotated[
    int, Path(ge=1, le=NUMBER_MAX, description="Review id, unique within the project.")
]


@router.get("/{code}", operation_id="get-reviews", response_model=Envelope[ListResult[Review]])
def get_reviews(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    status: ReviewStatus | None = None,
    type: ReviewType | None = None,
    case_id: Annotated[
        int | None, Query(ge=1, le=NUMBER_MAX, description="Reviews of this test case.")
    ] = None,
    author_uuid: Annotated[
        UUID | None, Query(description="Reviews created by this author (author UUID).")
    ] = None,
    reviewer_uuid: Annotated[
        UUID | None, Query(description="Reviews this author (author UUID) is a reviewer of.")
    ] = None,
    search: Annotated[
        str | None, Query(max_length=255, description="Search in the review titles.")
    ] = None,
) -> object:
    """List the project's reviews, filtered."""
    filters = ReviewFilters.from_query(
        status=status,
        type=type,
        case_id=case_id,
        author_uuid=author_uuid,
        reviewer_uuid=reviewer_uuid,
        search=search,
    )
    return json_response(Envelope(result=listing.list_reviews(session, ctx, filters, page)))


@router.post("/{code}", operation_id="create-review", response_model=Envelope[ReviewId])
def create_review(ctx: CanCreate, session: SessionDep, body: ReviewCreate) -> object:
    """Submit a new case (no `case_id`) or changes to a case for review; answers its id."""
    review = service.create_review(session, ctx, body)
    return Envelope(result=ReviewId(id=review.number))


@router.post(
    "/{code}/bulk",
    operation_id="bulk-create-reviews",
    response_model=Envelope[ReviewBulkResult],
)
def bulk_create_reviews(
    ctx: CanCreate, session: SessionDep, request: Request, body: ReviewBulk
) -> object:
    """Submit many reviews at once: all are checked before any is created."""
    limit = request.app.state.settings.bulk_max_items
    items = service.bulk_create(session, ctx, body.reviews, limit)
    return Envelope(result=ReviewBulkResult(items=items))


@router.get("/{code}/{id}", operation_id="get-review", response_model=Envelope[ReviewDetailed])
def get_review(ctx: CanRead, session: SessionDep, id: ReviewNumber) -> object:
    """Get a review with its reviewers' verdicts and the proposed case."""
    review = service.get_review(session, ctx, id)
    return json_response(Envelope(result=service.describe_detailed(session, review)))


@router.patch("/{code}/{id}", operation_id="update-review", response_model=Envelope[ReviewId])
def update_review(
    ctx: CanUpdate, session: SessionDep, id: ReviewNumber, body: ReviewUpdate
) -> object:
    """Change the reviewers and/or the proposal of an open review."""
    review = service.update_review(session, ctx, id, body)
    return Envelope(result=ReviewId(id=review.number))


@router.delete("/{code}/{id}", operation_id="delete-review", response_model=Envelope[ReviewId])
def delete_review(ctx: CanDelete, session: SessionDep, id: ReviewNumber) -> object:
    """Delete a review that is not merged."""
    service.delete_review(session, ctx, id)
    return Envelope(result=ReviewId(id=id))
