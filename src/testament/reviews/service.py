"""Review rules: create (one or in bulk), change an open review, delete, lookups.

Test case review can be switched off per project with the project setting
`{"review": {"enabled": false}}`; reviews are then still readable, but not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import FieldError, Invalid, NotFound, PayloadTooLarge
from testament.kit.numbering import next_project_numbers
from testament.models.base import utcnow
from testament.models.cases import Case
from testament.models.project import Project
from testament.models.reviews import Review, ReviewReviewer
from testament.reviews import proposal, repository
from testament.reviews.schemas import (
    BULK_MAX,
    ReviewBulkItem,
    ReviewCaseData,
    ReviewCreate,
    ReviewDetailed,
    ReviewUpdate,
    Verdict,
)
from testament.reviews.schemas import Review as ReviewSchema
from testament.reviews.schemas import ReviewReviewer as ReviewerSchema

REVIEW_KIND = "review"
OPEN, MERGED, UNAPPROVED = "open", "merged", "unapproved"


def review_enabled(project: Project) -> bool:
    """On unless the project's settings hold `{"review": {"enabled": false}}`."""
    settings = project.settings if isinstance(project.settings, dict) else {}
    review = settings.get("review")
    return not (isinstance(review, dict) and review.get("enabled") is False)


def require_enabled(project: Project) -> None:
    if not review_enabled(project):
        message = f"Test case review is disabled in the settings of project {project.code}."
        raise Invalid(message, [FieldError("code", message)])


def get_review(session: Session, ctx: ProjectContext, number: int) -> Review:
    review = repository.by_number(session, ctx.project.id, number)
    if review is None:
        raise NotFound(f"Review not found: no review {number} in project {ctx.project.code}.")
    return review


def require_open(review: Review) -> None:
    if review.status != OPEN:
        message = f"Review {review.number} is {review.status}: only open reviews can change."
        raise Invalid(message, [FieldError("id", message)])


def reviewed_case(session: Session, review: Review) -> Case:
    """The live case an `edit` review changes; 422 naming `case_id` when it was deleted."""
    case = session.get(Case, review.case_id) if review.case_id is not None else None
    if case is None or case.deleted_at is not None:
        raise Invalid.field("case_id", "The reviewed test case was deleted.")
    return case


# --- As the API shows them -------------------------------------------------------------------


def describe(session: Session, reviews: Sequence[Review]) -> list[ReviewSchema]:
    """Reviews as the API lists them: three queries per page, whatever its size."""
    return [ReviewSchema(**fields) for fields in _described(session, reviews)]


def describe_detailed(session: Session, review: Review) -> ReviewDetailed:
    fields = _described(session, [review])[0]
    return ReviewDetailed(**fields, proposed_case=proposal.shown(session, review.proposed_case))


def _described(session: Session, reviews: Sequence[Review]) -> list[dict[str, Any]]:
    cases = repository.case_numbers(session, {r.case_id for r in reviews if r.case_id})
    authors = repository.author_uuids(session, {r.author_id for r in reviews if r.author_id})
    reviewers = repository.reviewers_of(session, [r.id for r in reviews])
    return [
        {
            "id": r.number,
            "title": r.title,
            "type": r.type,
            "status": r.status,
            "case_id": cases.get(r.case_id) if r.case_id is not None else None,
            "author_uuid": authors.get(r.author_id) if r.author_id is not None else None,
            "reviewers": [
                ReviewerSchema(author_uuid=author_uuid, status=cast(Verdict, status))
                for _author_id, author_uuid, status in reviewers.get(r.id, [])
            ],
            "created_at": r.created_at,
            "updated_at": r.updated_at,
        }
        for r in reviews
    ]


# --- Writes ----------------------------------------------------------------------------------


def reviewer_ids(session: Session, uuids: Sequence[UUID], field: str = "reviewers") -> list[int]:
    """Author ids of the reviewers named, once each: active users only (422 naming each bad one)."""
    authors = repository.authors_by_uuid(session, {str(u) for u in uuids})
    errors = []
    for index, reviewer in enumerate(uuids):
        author = authors.get(str(reviewer))
        if author is None:
            errors.append(FieldError(f"{field}[{index}]", f"Author {reviewer} not found."))
        elif author.entity_type != "user":
            errors.append(FieldError(f"{field}[{index}]", f"Author {reviewer} is not a person."))
        elif not author.is_active:
            errors.append(FieldError(f"{field}[{index}]", f"Author {reviewer} is deactivated."))
    if errors:
        names = ", ".join(error.field for error in errors)
        raise Invalid(f"Data is invalid: {names}.", errors)
    return list(dict.fromkeys(authors[str(u)].id for u in uuids))


def _check_steps_type_change(data: ReviewCaseData, current: str) -> None:
    sent = data.model_fields_set
    if "steps_type" in sent and "steps" not in sent and data.steps_type != current:
        raise Invalid.field(
            "proposed_case.steps_type",
            f"Changing steps_type from {current} needs the steps in the same request.",
        )


@dataclass(frozen=True)
class _Prepared:
    type: str
    case_id: int | None
    title: str
    proposed_case: dict[str, Any]
    reviewer_ids: list[int]


def _prepare(session: Session, ctx: ProjectContext, data: ReviewCreate) -> _Prepared:
    """Everything checked, nothing written yet."""
    case = None
    if data.case_id is not None:
        case = numbered.by_number(
            session, Case, ctx.project.id, data.case_id, Case.deleted_at.is_(None)
        )
        if case is None:
            raise Invalid.field(
                "case_id", f"Test case {data.case_id} not found in project {ctx.project.code}."
            )
    reviewers = reviewer_ids(session, data.reviewers)
    sent = data.proposed_case.model_fields_set
    if case is None and "title" not in sent:
        raise Invalid.field("proposed_case.title", "A review of a new case needs its title.")
    if case is not None:
        if not sent:
            raise Invalid.field("proposed_case", "Propose at least one change to the case.")
        _check_steps_type_change(data.proposed_case, case.steps_type)
    proposed = proposal.checked(session, ctx, proposal.merged({}, data.proposed_case), case=case)
    return _Prepared(
        type="create" if case is None else "edit",
        case_id=case.id if case else None,
        title=str(proposed.get("title") or (case.title if case else "")),
        proposed_case=proposed,
        reviewer_ids=reviewers,
    )


def _insert(session: Session, ctx: ProjectContext, prepared: _Prepared, number: int) -> Review:
    review = Review(
        project_id=ctx.project.id,
        number=number,
        title=prepared.title,
        type=prepared.type,
        status=OPEN,
        case_id=prepared.case_id,
        author_id=ctx.actor.author_id,
        proposed_case=prepared.proposed_case,
    )
    session.add(review)
    session.flush()
    session.add_all(
        ReviewReviewer(project_id=ctx.project.id, review_id=review.id, author_id=author_id)
        for author_id in prepared.reviewer_ids
    )
    session.flush()
    audit.created(
        session,
        ctx.actor,
        "review",
        number,
        project_id=ctx.project.id,
        changes={"type": prepared.type, "reviewers": len(prepared.reviewer_ids)},
    )
    return review


def create_review(session: Session, ctx: ProjectContext, data: ReviewCreate) -> Review:
    require_enabled(ctx.project)
    prepared = _prepare(session, ctx, data)
    number = next_project_numbers(session, ctx.project.id, REVIEW_KIND)[0]
    return _insert(session, ctx, prepared, number)


def bulk_create(
    session: Session, ctx: ProjectContext, items: Sequence[ReviewCreate], max_items: int
) -> list[ReviewBulkItem]:
    """Every item is checked first: one invalid item (422 naming `reviews[i].*`) creates none."""
    require_enabled(ctx.project)
    if len(items) > max_items:
        raise PayloadTooLarge(
            f"A bulk request may create at most {max_items} reviews; this one has {len(items)}."
        )
    if len(items) > BULK_MAX:
        raise Invalid.field("reviews", f"At most {BULK_MAX} reviews per request.")
    prepared = []
    for index, item in enumerate(items):
        with proposal.fields_under(f"reviews[{index}]"):
            prepared.append(_prepare(session, ctx, item))
    numbers = next_project_numbers(session, ctx.project.id, REVIEW_KIND, len(prepared))
    return [
        ReviewBulkItem(
            review_id=_insert(session, ctx, ready, number).number, case_id=item.case_id, error=None
        )
        for item, ready, number in zip(items, prepared, numbers, strict=True)
    ]


def _replace_reviewers(session: Session, review: Review, author_ids: list[int]) -> bool:
    """Reviewers kept keep their verdicts; new ones start unapproved. Answers whether the list
    changed."""
    rows = session.execute(
        select(ReviewReviewer.author_id, ReviewReviewer.id).where(
            ReviewReviewer.review_id == review.id
        )
    ).all()
    current = {row[0] for row in rows}
    wanted = set(author_ids)
    # Rows whose author is gone (NULL) are never wanted: a replaced list drops them.
    gone = [row[1] for row in rows if row[0] not in wanted]
    if gone:
        session.execute(delete(ReviewReviewer).where(ReviewReviewer.id.in_(gone)))
    added = [author_id for author_id in author_ids if author_id not in current]
    session.add_all(
        ReviewReviewer(project_id=review.project_id, review_id=review.id, author_id=author_id)
        for author_id in added
    )
    session.flush()
    return bool(gone or added)


def update_review(session: Session, ctx: ProjectContext, number: int, data: ReviewUpdate) -> Review:
    """Replace the reviewers and/or merge fields into the proposal; a changed proposal resets
    every verdict. A request that changes nothing writes nothing."""
    require_enabled(ctx.project)
    review = get_review(session, ctx, number)
    require_open(review)
    changes: dict[str, Any] = {}
    wanted = data.reviewers
    if wanted is not None and _replace_reviewers(session, review, reviewer_ids(session, wanted)):
        changes["reviewers"] = [str(u) for u in dict.fromkeys(wanted)]
    if data.proposed_case is not None:
        case = reviewed_case(session, review) if review.type == "edit" else None
        stored = review.proposed_case or {}
        current = stored.get("steps_type") or (case.steps_type if case else "classic")
        _check_steps_type_change(data.proposed_case, str(current))
        proposed = proposal.checked(
            session, ctx, proposal.merged(stored, data.proposed_case), case=case
        )
        if proposed != stored:
            review.proposed_case = proposed
            review.title = str(proposed.get("title") or review.title)
            session.execute(
                update(ReviewReviewer)
                .where(ReviewReviewer.review_id == review.id)
                .values(status=UNAPPROVED)
            )
            changes["fields"] = sorted(data.proposed_case.model_fields_set)
    if changes:
        review.updated_at = utcnow()
        session.flush()
        audit.updated(
            session,
            ctx.actor,
            "review",
            number,
            project_id=ctx.project.id,
            changes=changes,
        )
    return review


def delete_review(session: Session, ctx: ProjectContext, number: int) -> None:
    """Delete an open or declined review with its reviewers; merged ones are history and stay."""
    require_enabled(ctx.project)
    review = get_review(session, ctx, number)
    if review.status == MERGED:
        message = f"Review {number} is merged: merged reviews cannot be deleted."
        raise Invalid(message, [FieldError("id", message)])
    session.execute(delete(Review).where(Review.id == review.id))
    audit.deleted(session, ctx.actor, "review", number, project_id=ctx.project.id)
