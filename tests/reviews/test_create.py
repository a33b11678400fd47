"""`POST /v1/review/{code}` and `/v1/review/{code}/bulk` over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project, unique_code
from tests.reviews.helpers import (
    NO_REVIEW,
    add_author,
    author_uuid,
    field_names,
    get_case,
    get_review,
    list_reviews,
    make_case,
    make_review,
    make_suite,
    ok,
)

ClientAs = Callable[[str | None], httpx.Client]
GHERKIN = "Given a shop\nWhen I pay\nThen I get a receipt"


def make_required_case_field(api: httpx.Client, code: str) -> int:
    body = {"title": "Component", "entity": 0, "type": 1, "is_required": True}
    return int(ok(api.post("/v1/custom_field", json={**body, "projects_codes": [code]}))["id"])


class TestCreateReview:
    def test_new_case_proposal_reads_back(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        member = author_uuid(api, "member")
        proposed = {
            "title": "Pay by card",
            "description": "Card payments",
            "preconditions": None,
            "severity": "critical",
            "priority": 1,
            "is_flaky": 0,
            "is_muted": True,
            "is_manual": False,
            "suite_id": suite,
            "tags": [" smoke", "smoke", "cards"],
            "steps": [
                {"action": "Open cart", "expected_result": "Cart shown"},
                {"action": "Pay", "steps": [{"action": "Enter card", "data": "4242"}]},
            ],
        }
        body = {"reviewers": [member, member], "proposed_case": proposed}
        response = api.post(f"/v1/review/{code}", json=body)
        assert response.status_code == 200, response.text
        assert response.json() == {"status": True, "result": {"id": 1}}

        review = get_review(api, code, 1)
        assert review["id"] == 1 and review["title"] == "Pay by card"
        assert (review["type"], review["status"], review["case_id"]) == ("create", "open", None)
        assert review["author_uuid"] == author_uuid(api, "admin")
        assert review["reviewers"] == [{"author_uuid": member, "status": "unapproved"}]
        assert review["created_at"] and review["updated_at"]
        assert review["proposed_case"] == {
            **proposed,
            "severity": 2,
            "tags": ["smoke", "cards"],
        }

    def test_edit_proposal_refers_to_the_case_and_carries_only_the_change(
        self, api: httpx.Client
    ) -> None:
        code = make_project(api)
        case = make_case(api, code, "Log in")
        before = get_case(api, code, case)
        number = make_review(api, code, case_id=case, proposed_case={"priority": "high"})
        review = get_review(api, code, number)
        assert (review["type"], review["case_id"], review["title"]) == ("edit", case, "Log in")
        assert review["proposed_case"] == {"priority": 1}
        # Checking the proposal against the case changed nothing.
        assert get_case(api, code, case) == before

    def test_edit_proposal_with_a_title_is_titled_so(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code, "Log in")
        number = make_review(api, code, case_id=case, proposed_case={"title": "Sign in"})
        assert get_review(api, code, number)["title"] == "Sign in"

    def test_checking_a_new_case_creates_no_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_review(api, code, proposed_case={"title": "Draft", "tags": ["new-tag"]})
        cases = ok(api.get(f"/v1/case/{code}"))
        assert cases["total"] == 0
        assert make_case(api, code) == 1  # the case counter was not used up

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        assert [make_review(api, first), make_review(api, first)] == [1, 2]
        assert make_review(api, second) == 1

    def test_gherkin_proposal(self, api: httpx.Client) -> None:
        code = make_project(api)
        proposed = {"title": "Checkout", "steps_type": "gherkin", "steps": [{"value": GHERKIN}]}
        number = make_review(api, code, proposed_case=proposed)
        assert get_review(api, code, number)["proposed_case"] == proposed

    def test_parameters_show_as_a_case_shows_them(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_body = {
            "title": "Browsers",
            "type": "single",
            "is_enabled_for_all_projects": False,
            "project_codes": [code],
            "parameters": [{"title": "Browser", "values": ["Chrome"]}],
        }
        shared = str(ok(api.post("/v1/shared_parameter", json=shared_body))["id"])
        own = {"title": "Size", "values": ["S", "M"]}
        group = [{"title": "User", "values": ["a", "b"]}, {"title": "Role", "values": ["x", "y"]}]
        proposed = {
            "title": "Parametrized",
            "parameters": [own, {"items": group}, {"shared_id": shared.upper()}],
        }
        number = make_review(api, code, proposed_case=proposed)
        assert get_review(api, code, number)["proposed_case"]["parameters"] == [
            {"shared_id": None, "type": "single", "item": own},
            {"shared_id": None, "type": "group", "items": group},
            {"shared_id": shared, "type": "single", "item": shared_body["parameters"][0]},
        ]

    def test_new_case_needs_required_custom_fields_an_edit_does_not(
        self, api: httpx.Client
    ) -> None:
        code = make_project(api)
        field = make_required_case_field(api, code)
        case = make_case(api, code, custom_field={str(field): "Core"})
        response = api.post(f"/v1/review/{code}", json={"proposed_case": {"title": "No field"}})
        assert response.status_code == 422
        assert field_names(response) == [f"proposed_case.custom_field[{field}]"]

        proposed = {"title": "With field", "custom_field": {str(field): "Billing"}}
        number = make_review(api, code, proposed_case=proposed)
        shown = get_review(api, code, number)["proposed_case"]
        assert shown == {
            "title": "With field",
            "custom_fields": [{"id": field, "value": "Billing"}],
        }
        assert make_review(api, code, case_id=case, proposed_case={"priority": 2}) == 2

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "proposed_case"),
            ({"proposed_case": {}}, "proposed_case.title"),
            ({"proposed_case": {"title": ""}}, "proposed_case.title"),
            ({"proposed_case": {"title": "x" * 256}}, "proposed_case.title"),
            ({"proposed_case": {"title": None}}, "proposed_case.title"),
            ({"proposed_case": {"title": "x", "severity": "extreme"}}, "proposed_case.severity"),
            ({"proposed_case": {"title": "x", "priority": 99}}, "proposed_case.priority"),
            ({"proposed_case": {"title": "x", "is_muted": None}}, "proposed_case.is_muted"),
            ({"proposed_case": {"title": "x", "steps_type": "plain"}}, "proposed_case.steps_type"),
            ({"proposed_case": {"title": "x", "tags": [" "]}}, "proposed_case.tags"),
            ({"proposed_case": {"title": "x", "suite_id": 999}}, "proposed_case.suite_id"),
            ({"proposed_case": {"title": "x", "milestone_id": 9}}, "proposed_case.milestone_id"),
            (
                {"proposed_case": {"title": "x", "attachments": ["f00"]}},
                "proposed_case.attachments",
            ),
            (
                {"proposed_case": {"title": "x", "steps": [{"expected_result": "y"}]}},
                "proposed_case.steps[0].action",
            ),
            (
                {"proposed_case": {"title": "x", "steps": [{"shared": "nope"}]}},
                "proposed_case.steps",
            ),
            (
                {"proposed_case": {"title": "x", "steps": [{"action": "a", "value": "v"}]}},
                "proposed_case.steps[0]",
            ),
            (
                {
                    "proposed_case": {
                        "title": "x",
                        "steps_type": "gherkin",
                        "steps": [{"action": GHERKIN}],
                    }
                },
                "proposed_case.steps[0].action",
            ),
            (
                {
                    "proposed_case": {
                        "title": "x",
                        "steps_type": "gherkin",
                        "steps": [{"value": GHERKIN, "expected_result": "y"}],
                    }
                },
                "proposed_case.steps[0].expected_result",
            ),
            (
                {"proposed_case": {"title": "x", "parameters": [{"title": "p"}]}},
                "proposed_case.parameters[0].values",
            ),
            (
                {"proposed_case": {"title": "x", "parameters": [{"shared_id": "nope"}]}},
                "proposed_case.parameters",
            ),
            (
                {"proposed_case": {"title": "x", "custom_field": {"999999": "v"}}},
                "proposed_case.custom_field[999999]",
            ),
            (
                {"proposed_case": {"title": "x", "custom_field": {"abc": "v"}}},
                "proposed_case.custom_field[abc]",
            ),
            ({"case_id": "one", "proposed_case": {"title": "x"}}, "case_id"),
            ({"case_id": 999, "proposed_case": {"title": "x"}}, "case_id"),
            ({"reviewers": ["not-a-uuid"], "proposed_case": {"title": "x"}}, "reviewers[0]"),
            (
                {"reviewers": ["0b0b0b0b-0000-4000-8000-000000000000"], "proposed_case": {}},
                "reviewers[0]",
            ),
            (
                {"reviewers": [f"0b0b0b0b-0000-4000-8000-{i:012d}" for i in range(21)]},
                "reviewers",
            ),
        ],
    )
    def test_bad_input_is_422_naming_the_field_and_writes_nothing(
        self, api: httpx.Client, body: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/review/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_reviews(api, code)["total"] == 0

    def test_deleted_case_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code)
        ok(api.delete(f"/v1/case/{code}/{case}"))
        response = api.post(f"/v1/review/{code}", json={"case_id": case, "proposed_case": {}})
        assert response.status_code == 422
        assert field_names(response) == ["case_id"]

    def test_another_projects_case_is_422(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        case = make_case(api, other)
        body = {"case_id": case, "proposed_case": {"priority": 1}}
        response = api.post(f"/v1/review/{code}", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["case_id"]

    def test_edit_proposing_nothing_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code)
        response = api.post(f"/v1/review/{code}", json={"case_id": case, "proposed_case": {}})
        assert response.status_code == 422
        assert field_names(response) == ["proposed_case"]

    def test_changing_steps_type_needs_the_steps(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code)
        alone = {"case_id": case, "proposed_case": {"steps_type": "gherkin"}}
        response = api.post(f"/v1/review/{code}", json=alone)
        assert response.status_code == 422
        assert field_names(response) == ["proposed_case.steps_type"]
        with_steps = {"steps_type": "gherkin", "steps": [{"value": GHERKIN}]}
        assert make_review(api, code, case_id=case, proposed_case=with_steps) == 1

    @pytest.mark.parametrize("kind", ["app", "deactivated"])
    def test_reviewer_must_be_an_active_person(
        self, api: httpx.Client, acting: Acting, kind: str
    ) -> None:
        code = make_project(api)
        reviewer = add_author(
            acting, code, entity_type="app" if kind == "app" else "user", active=False
        )
        body = {
            "reviewers": [author_uuid(api, "member"), reviewer],
            "proposed_case": {"title": "x"},
        }
        response = api.post(f"/v1/review/{code}", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["reviewers[1]"]

    def test_disabled_review_is_422_and_reads_still_work(self, api: httpx.Client) -> None:
        code = make_project(api, settings=NO_REVIEW)
        response = api.post(f"/v1/review/{code}", json={"proposed_case": {"title": "x"}})
        assert response.status_code == 422
        assert field_names(response) == ["code"]
        assert list_reviews(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        body = {"proposed_case": {"title": "x"}}
        response = client_as("viewer").post(f"/v1/review/{code}", json=body)
        assert response.status_code == 403
        assert client_as("member").post(f"/v1/review/{code}", json=body).status_code == 200

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        body = {"proposed_case": {"title": "x"}}
        assert api.post(f"/v1/review/{unique_code()}", json=body).status_code == 404


class TestBulkCreateReviews:
    def test_creates_each_and_reports_per_item(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code, "Existing")
        make_review(api, code)
        member = author_uuid(api, "member")
        body = {
            "reviews": [
                {"proposed_case": {"title": "First"}},
                {"case_id": case, "proposed_case": {"severity": 3}},
                {"reviewers": [member], "proposed_case": {"title": "Third"}},
            ]
        }
        result = ok(api.post(f"/v1/review/{code}/bulk", json=body))
        assert result == {
            "items": [
                {"review_id": 2, "case_id": None, "error": None},
                {"review_id": 3, "case_id": case, "error": None},
                {"review_id": 4, "case_id": None, "error": None},
            ]
        }
        edit = get_review(api, code, 3)
        assert (edit["type"], edit["case_id"], edit["proposed_case"]) == (
            "edit",
            case,
            {"severity": 3},
        )
        assert get_review(api, code, 4)["reviewers"] == [
            {"author_uuid": member, "status": "unapproved"}
        ]

    def test_one_invalid_item_creates_none(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {"reviews": [{"proposed_case": {"title": "Fine"}}, {"proposed_case": {}}]}
        response = api.post(f"/v1/review/{code}/bulk", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["reviews[1].proposed_case.title"]
        assert list_reviews(api, code)["total"] == 0

    @pytest.mark.parametrize("count", [0, 101])
    def test_item_count_outside_the_contract_is_422(self, api: httpx.Client, count: int) -> None:
        code = make_project(api)
        body = {"reviews": [{"proposed_case": {"title": "x"}}] * count}
        response = api.post(f"/v1/review/{code}/bulk", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["reviews"]

    def test_more_than_the_server_takes_is_413(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {"reviews": [{"proposed_case": {"title": "x"}}] * 501}
        assert api.post(f"/v1/review/{code}/bulk", json=body).status_code == 413
        assert list_reviews(api, code)["total"] == 0

    def test_disabled_review_is_422(self, api: httpx.Client) -> None:
        code = make_project(api, settings=NO_REVIEW)
        body = {"reviews": [{"proposed_case": {"title": "x"}}]}
        response = api.post(f"/v1/review/{code}/bulk", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["code"]

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        body = {"reviews": [{"proposed_case": {"title": "x"}}]}
        assert client_as("viewer").post(f"/v1/review/{code}/bulk", json=body).status_code == 403
