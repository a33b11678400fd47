"""Every review operation through the official `qase-api-client`."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import httpx
import pytest
from qase.api_client_v1 import models
from qase.api_client_v1.api.reviews_api import ReviewsApi
from qase.api_client_v1.exceptions import (
    ForbiddenException,
    NotFoundException,
    UnprocessableEntityException,
)

from tests.factories import make_project
from tests.reviews.helpers import author_uuid, make_case, ok

CaseData = models.ReviewCaseData
StepData = models.ReviewStepData


def test_create_get_list_update_delete(qase_for: Callable[..., object], api: httpx.Client) -> None:
    reviews = ReviewsApi(qase_for())
    code = make_project(api)
    member = UUID(author_uuid(api, "member"))
    proposed = CaseData(
        title="Pay by card",
        severity=2,
        is_muted=False,
        is_manual=True,
        steps=[StepData(action="Pay", expected_result="Paid")],
        tags=["cards"],
        parameters=[
            models.TestCaseParameterCreate(models.ParameterSingle(title="Card", values=["Visa"]))
        ],
    )
    created = reviews.create_review(
        code, models.ReviewCreate(reviewers=[member], proposed_case=proposed)
    )
    assert created.status is True and created.result.id == 1

    got = reviews.get_review(code, 1).result
    assert (got.id, got.title, got.type, got.status, got.case_id) == (
        1,
        "Pay by card",
        "create",
        "open",
        None,
    )
    assert str(got.author_uuid) == author_uuid(api, "admin")
    assert [(r.author_uuid, r.status) for r in got.reviewers] == [(member, "unapproved")]
    assert got.created_at is not None and got.updated_at is not None
    shown = models.ReviewProposedCase.from_dict(got.proposed_case)
    assert (shown.title, shown.severity, shown.is_manual, shown.tags) == (
        "Pay by card",
        2,
        True,
        ["cards"],
    )
    assert shown.steps[0].action == "Pay"
    assert shown.parameters[0].actual_instance.item.values == ["Visa"]

    case = make_case(api, code, "Existing")
    bulk = reviews.bulk_create_reviews(
        code,
        models.ReviewBulk(
            reviews=[
                models.ReviewCreate(case_id=case, proposed_case=CaseData(priority=1)),
                models.ReviewCreate(proposed_case=CaseData(title="Second draft")),
            ]
        ),
    ).result.items
    assert [(i.review_id, i.case_id, i.error) for i in bulk] == [(2, case, None), (3, None, None)]

    listed = reviews.get_reviews(code, type="edit", case_id=case, limit=10, offset=0).result
    assert (listed.total, listed.filtered, listed.count) == (3, 1, 1)
    assert listed.entities[0].title == "Existing"
    by_reviewer = reviews.get_reviews(code, reviewer_uuid=member, status="open").result
    assert [r.id for r in by_reviewer.entities] == [1]
    searched = reviews.get_reviews(
        code, search="draft", author_uuid=UUID(author_uuid(api, "admin"))
    )
    assert [r.id for r in searched.result.entities] == [3]

    updated = reviews.update_review(
        code,
        1,
        models.ReviewUpdate(reviewers=[], proposed_case=CaseData(title="Pay by any card")),
    )
    assert updated.result.id == 1
    after = reviews.get_review(code, 1).result
    assert (after.title, after.reviewers) == ("Pay by any card", [])

    deleted = reviews.delete_review(code, 3)
    assert deleted.status is True and deleted.result.id == 3
    with pytest.raises(NotFoundException):
        reviews.get_review(code, 3)


def test_invalid_proposal_is_422(qase_for: Callable[..., object], api: httpx.Client) -> None:
    reviews = ReviewsApi(qase_for())
    code = make_project(api)
    with pytest.raises(UnprocessableEntityException):
        reviews.create_review(code, models.ReviewCreate(proposed_case=CaseData(priority=1)))
    with pytest.raises(UnprocessableEntityException):
        reviews.create_review(
            code, models.ReviewCreate(case_id=404, proposed_case=CaseData(title="x"))
        )
    assert ok(api.get(f"/v1/review/{code}"))["total"] == 0


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    ReviewsApi(qase_for()).create_review(
        code, models.ReviewCreate(proposed_case=CaseData(title="Mine"))
    )
    viewer = ReviewsApi(qase_for("viewer"))
    assert viewer.get_reviews(code).result.total == 1
    assert viewer.get_review(code, 1).result.title == "Mine"
    draft = models.ReviewCreate(proposed_case=CaseData(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.create_review(code, draft)
    with pytest.raises(ForbiddenException):
        viewer.bulk_create_reviews(code, models.ReviewBulk(reviews=[draft]))
    with pytest.raises(ForbiddenException):
        viewer.update_review(code, 1, models.ReviewUpdate(reviewers=[]))
    with pytest.raises(ForbiddenException):
        viewer.delete_review(code, 1)
