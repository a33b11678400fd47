"""`PATCH` and `DELETE /v1/review/{code}/{id}` over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from testament.reviews import workflow
from tests.acting import Acting, audit_actions
from tests.factories import make_project, unique_code
from tests.live import LiveServer
from tests.reviews.helpers import (
    NO_REVIEW,
    author_id,
    author_uuid,
    field_names,
    get_review,
    list_reviews,
    make_case,
    make_review,
    ok,
)

ClientAs = Callable[[str | None], httpx.Client]
GHERKIN = "Given a cart\nWhen I pay\nThen I am charged"


def patch(api: httpx.Client, code: str, number: int, body: dict[str, Any]) -> httpx.Response:
    return api.patch(f"/v1/review/{code}/{number}", json=body)


def approve(acting: Acting, code: str, number: int, reviewer: str) -> None:
    with acting(code) as (session, ctx):
        workflow.set_verdict(session, ctx, number, author_id(session, reviewer), "approved")


def verdicts(api: httpx.Client, code: str, number: int) -> dict[str, str]:
    reviewers = get_review(api, code, number)["reviewers"]
    return {r["author_uuid"]: r["status"] for r in reviewers}


class TestUpdateReview:
    def test_sent_fields_merge_into_the_proposal(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_review(api, code, proposed_case={"title": "Draft", "priority": 1})
        before = get_review(api, code, number)
        proposed = {"title": "Final", "severity": "major", "description": None}
        assert ok(patch(api, code, number, {"proposed_case": proposed})) == {"id": number}
        after = get_review(api, code, number)
        assert after["proposed_case"] == {
            "title": "Final",
            "priority": 1,
            "severity": 3,
            "description": None,
        }
        assert after["title"] == "Final"
        assert after["updated_at"] >= before["updated_at"]

    def test_reviewers_are_replaced_keeping_verdicts(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        admin, member, owner = (author_uuid(api, role) for role in ("admin", "member", "owner"))
        number = make_review(api, code, reviewers=[admin, member])
        approve(acting, code, number, member)

        ok(patch(api, code, number, {"reviewers": [member, owner]}))
        assert get_review(api, code, number)["reviewers"] == [
            {"author_uuid": member, "status": "approved"},
            {"author_uuid": owner, "status": "unapproved"},
        ]
        ok(patch(api, code, number, {"reviewers": []}))
        assert get_review(api, code, number)["reviewers"] == []

    def test_changing_the_proposal_resets_verdicts(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        member = author_uuid(api, "member")
        number = make_review(api, code, reviewers=[member], proposed_case={"title": "Draft"})
        approve(acting, code, number, member)

        ok(patch(api, code, number, {"proposed_case": {"title": "Draft"}}))
        assert verdicts(api, code, number) == {member: "approved"}  # no change, no reset
        ok(patch(api, code, number, {"proposed_case": {"title": "Better"}}))
        assert verdicts(api, code, number) == {member: "unapproved"}

    def test_edit_review_is_checked_against_the_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code, "Log in")
        number = make_review(api, code, case_id=case, proposed_case={"priority": 1})
        response = patch(api, code, number, {"proposed_case": {"steps_type": "gherkin"}})
        assert response.status_code == 422
        assert field_names(response) == ["proposed_case.steps_type"]
        gherkin = {"steps_type": "gherkin", "steps": [{"value": GHERKIN}]}
        ok(patch(api, code, number, {"proposed_case": gherkin}))
        review = get_review(api, code, number)
        assert review["proposed_case"] == {"priority": 1, **gherkin}
        assert (review["title"], review["case_id"]) == ("Log in", case)

    def test_null_parameters_propose_none(self, api: httpx.Client) -> None:
        code = make_project(api)
        own = {"title": "Size", "values": ["S"]}
        number = make_review(api, code, proposed_case={"title": "P", "parameters": [own]})
        ok(patch(api, code, number, {"proposed_case": {"parameters": None}}))
        assert get_review(api, code, number)["proposed_case"] == {"title": "P"}

    def test_deleted_case_refuses_proposal_changes_not_reviewers(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code)
        number = make_review(api, code, case_id=case, proposed_case={"priority": 1})
        ok(api.delete(f"/v1/case/{code}/{case}"))
        response = patch(api, code, number, {"proposed_case": {"priority": 2}})
        assert response.status_code == 422
        assert field_names(response) == ["case_id"]
        ok(patch(api, code, number, {"reviewers": [author_uuid(api, "member")]}))

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"case_id": 2}, "case_id"),
            ({"proposed_case": {"title": None}}, "proposed_case.title"),
            ({"proposed_case": {"priority": "urgent"}}, "proposed_case.priority"),
            ({"proposed_case": {"suite_id": 404}}, "proposed_case.suite_id"),
            ({"reviewers": ["0b0b0b0b-0000-4000-8000-000000000000"]}, "reviewers[0]"),
            ({"reviewers": "everyone"}, "reviewers"),
            ({"reviewers": [], "proposed_case": {"priority": "urgent"}}, "proposed_case.priority"),
        ],
    )
    def test_bad_input_is_422_naming_the_field_and_changes_nothing(
        self, api: httpx.Client, body: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        member = author_uuid(api, "member")
        number = make_review(api, code, reviewers=[member], proposed_case={"title": "Kept"})
        before = get_review(api, code, number)
        response = patch(api, code, number, {"proposed_case": {"title": "Lost"}, **body})
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert get_review(api, code, number) == before

    @pytest.mark.parametrize("status", ["merged", "declined"])
    def test_only_open_reviews_change(self, api: httpx.Client, acting: Acting, status: str) -> None:
        code = make_project(api)
        number = make_review(api, code)
        with acting(code) as (session, ctx):
            if status == "merged":
                workflow.merge_review(session, ctx, number)
            else:
                workflow.decline_review(session, ctx, number)
        response = patch(api, code, number, {"proposed_case": {"title": "Late"}})
        assert response.status_code == 422
        assert field_names(response) == ["id"]

    def test_unknown_and_other_projects_review_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_review(api, other)
        assert patch(api, code, 1, {"reviewers": []}).status_code == 404
        assert patch(api, unique_code(), 1, {"reviewers": []}).status_code == 404

    def test_disabled_review_is_422(self, api: httpx.Client) -> None:
        code = make_project(api, settings=NO_REVIEW)
        response = patch(api, code, 1, {"reviewers": []})
        assert response.status_code == 422
        assert field_names(response) == ["code"]

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_review(api, code)
        response = patch(client_as("viewer"), code, number, {"proposed_case": {"title": "V"}})
        assert response.status_code == 403
        assert get_review(api, code, number)["title"] == "New case"


@pytest.mark.both_backends  # delete cascades
class TestDeleteReview:
    def test_deletes_the_review(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_review(api, code, reviewers=[author_uuid(api, "member")])
        kept = make_review(api, code)
        response = api.delete(f"/v1/review/{code}/{number}")
        assert response.json() == {"status": True, "result": {"id": number}}
        assert api.get(f"/v1/review/{code}/{number}").status_code == 404
        assert [r["id"] for r in list_reviews(api, code)["entities"]] == [kept]
        assert api.delete(f"/v1/review/{code}/{number}").status_code == 404

    def test_merged_review_stays_declined_goes(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        merged, declined = make_review(api, code), make_review(api, code)
        with acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, merged)
            workflow.decline_review(session, ctx, declined)
        response = api.delete(f"/v1/review/{code}/{merged}")
        assert response.status_code == 422
        assert field_names(response) == ["id"]
        assert get_review(api, code, merged)["status"] == "merged"
        ok(api.delete(f"/v1/review/{code}/{declined}"))

    def test_another_projects_review_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_review(api, other)
        assert api.delete(f"/v1/review/{code}/1").status_code == 404
        assert get_review(api, other, 1)["status"] == "open"

    def test_malformed_id_is_400(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.delete(f"/v1/review/{code}/0")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_disabled_review_is_422(self, api: httpx.Client) -> None:
        code = make_project(api, settings=NO_REVIEW)
        response = api.delete(f"/v1/review/{code}/1")
        assert response.status_code == 422
        assert field_names(response) == ["code"]

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_review(api, code)
        assert client_as("viewer").delete(f"/v1/review/{code}/{number}").status_code == 403
        assert get_review(api, code, number)["status"] == "open"

    def test_writes_are_audited(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        number = make_review(api, code)
        ok(patch(api, code, number, {"reviewers": []}))  # no change: nothing to record
        ok(patch(api, code, number, {"reviewers": [author_uuid(api, "member")]}))
        ok(api.delete(f"/v1/review/{code}/{number}"))
        assert audit_actions(server, code, "review", number) == ["create", "update", "delete"]
