"""What happens to an open review besides edits: verdicts, merging, declining.

The v1 API has no operations for these (in Qase they are UI actions); they are service
functions for the UI and other callers. Merging applies the proposal through
`testament.cases.service`, so the case rules apply exactly as for a direct create or update.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases import service as cases
from testament.cases.schemas import CaseCreate, CaseUpdate
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.models.base import utcnow
from testament.models.cases import Case
from testament.models.reviews import Review, ReviewReviewer
from testament.reviews import proposal, service
from testament.reviews.schemas import Verdict

MERGED, DECLINED = "merged", "declined"


def set_verdict(
    session: Session, ctx: ProjectContext, number: int, author_id: int, verdict: Verdict
) -> None:
    """Record a reviewer's verdict on an open review; only an assigned reviewer has one."""
    service.require_enabled(ctx.project)
    review = service.get_review(session, ctx, number)
    service.require_open(review)
    reviewer = session.scalar(
        select(ReviewReviewer).where(
            ReviewReviewer.review_id == review.id, ReviewReviewer.author_id == author_id
        )
    )
    if reviewer is None:
        raise Invalid.field(
            "author_id", f"Author {author_id} is not a reviewer of review {number}."
        )
    reviewer.status = verdict
    review.updated_at = utcnow()
    session.flush()
    audit.event(
        session,
        ctx.actor,
        "verdict",
        "review",
        number,
        project_id=ctx.project.id,
        changes={"author_id": author_id, "status": verdict},
    )


def merge_review(session: Session, ctx: ProjectContext, number: int) -> Case:
    """Apply an open review's proposal: create the case (`create`) or update it (`edit`).

    A proposal the case rules no longer accept (a suite deleted since, say) is a 422 naming
    `proposed_case.*`, and nothing changes.
    """
    service.require_enabled(ctx.project)
    review = service.get_review(session, ctx, number)
    service.require_open(review)
    edited = service.reviewed_case(session, review) if review.type == "edit" else None
    data = proposal.case_input(review.proposed_case or {}, creating=edited is None)
    with proposal.fields_under(proposal.FIELD):
        if edited is None:
            assert isinstance(data, CaseCreate)
            case = cases.create_case(session, ctx, data)
        else:
            assert isinstance(data, CaseUpdate)
            case = cases.update_case(session, ctx, edited.number, data)
    review.case_id = case.id
    review.status = MERGED
    review.updated_at = utcnow()
    session.flush()
    audit.event(
        session,
        ctx.actor,
        "merge",
        "review",
        number,
        project_id=ctx.project.id,
        changes={"case_id": case.number},
    )
    return case


def decline_review(session: Session, ctx: ProjectContext, number: int) -> Review:
    service.require_enabled(ctx.project)
    review = service.get_review(session, ctx, number)
    service.require_open(review)
    review.status = DECLINED
    review.updated_at = utcnow()
    session.flush()
    audit.event(session, ctx.actor, "decline", "review", number, project_id=ctx.project.id)
    return review
