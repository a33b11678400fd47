"""Creating, updating and deleting cases over HTTP (every response checked against the contract)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.cases.helpers import (
    case_total,
    get_case,
    make_case,
    make_case_field,
    make_milestone,
    make_shared_step,
    make_suite,
    ok,
    upload,
)
from tests.factories import make_project

ClientAs = Callable[[str | None], httpx.Client]


class TestCreateCase:
    def test_every_field_reads_back(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite, milestone = make_suite(api, code), make_milestone(api, code)
        field = make_case_field(api, title="Browser")
        file_hash = upload(api, code, "spec.txt", b"spec")
        step_file = upload(api, code, "step.txt", b"step")
        number = make_case(
            api,
            code,
            title="Checkout with a saved card",
            description="Pay with a stored card.",
            preconditions="A card is saved.",
            postconditions="Order exists.",
            severity="critical",
            priority=1,
            type="smoke",
            behavior="positive",
            layer="e2e",
            is_flaky=1,
            status="draft",
            isManual=True,
            isToBeAutomated=True,
            suite_id=suite,
            milestone_id=milestone,
            tags=["payments", "smoke"],
            custom_field={str(field): "Firefox"},
            attachments=[file_hash],
            steps=[
                {
                    "action": "Open cart",
                    "expected_result": "Cart shown",
                    "data": "2 items",
                    "attachments": [step_file],
                    "steps": [{"action": "Check total", "expected_result": "Sum is right"}],
                },
                {"action": "Pay"},
            ],
            parameters=[
                {"title": "browser", "values": ["chrome", "firefox"]},
                {
                    "items": [
                        {"title": "user", "values": ["a", "b"]},
                        {"title": "pw", "values": ["1", "2"]},
                    ]
                },
            ],
        )
        case = get_case(api, code, number)
        assert case["id"] == number == 1
        assert case["title"] == "Checkout with a saved card"
        assert (case["description"], case["preconditions"], case["postconditions"]) == (
            "Pay with a stored card.",
            "A card is saved.",
            "Order exists.",
        )
        assert (case["severity"], case["priority"], case["type"], case["behavior"]) == (2, 1, 3, 2)
        assert (case["layer"], case["is_flaky"], case["status"]) == (1, 1, 1)
        assert (case["automation"], case["isManual"], case["isToBeAutomated"]) == (1, True, True)
        assert case["suite_id"] == suite and case["milestone_id"] == milestone
        assert [t["title"] for t in case["tags"]] == ["payments", "smoke"]
        assert case["custom_fields"] == [{"id": field, "value": "Firefox"}]
        assert [a["filename"] for a in case["attachments"]] == ["spec.txt"]
        assert httpx.get(case["attachments"][0]["url"]).content == b"spec"
        first, second = case["steps"]
        assert (first["action"], first["expected_result"], first["data"]) == (
            "Open cart",
            "Cart shown",
            "2 items",
        )
        assert [a["filename"] for a in first["attachments"]] == ["step.txt"]
        assert first["steps"][0]["action"] == "Check total" and first["position"] == 1
        assert (second["action"], second["position"], second["expected_result"]) == ("Pay", 2, None)
        assert case["parameters"][0] == {
            "shared_id": None,
            "type": "single",
            "item": {"title": "browser", "values": ["chrome", "firefox"]},
        }
        assert case["parameters"][1]["type"] == "group" and len(case["parameters"][1]["items"]) == 2
        assert case["params"] == {
            "browser": ["chrome", "firefox"],
            "user": ["a", "b"],
            "pw": ["1", "2"],
        }
        assert case["steps_type"] == "classic" and case["deleted"] is None
        assert case["author_id"] == case["member_id"] and isinstance(case["author_id"], int)
        assert case["created_at"].endswith("+00:00") and case["created"].endswith("Z")

    def test_defaults(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = get_case(api, code, make_case(api, code, title="Bare"))
        assert (case["severity"], case["priority"], case["automation"], case["isManual"]) == (
            0,
            0,
            0,
            True,
        )
        assert case["steps"] == [] and case["tags"] == [] and case["params"] == []
        assert case["suite_id"] is None and case["milestone_id"] is None

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        assert [make_case(api, first), make_case(api, first)] == [1, 2]
        assert make_case(api, second) == 1

    @pytest.mark.parametrize(
        ("fields", "expected"),
        [
            ({"automation": 2}, (2, False, False)),
            ({"isManual": False}, (2, False, False)),
            ({"isManual": True, "isToBeAutomated": True}, (1, True, True)),
            ({"automation": 2, "isManual": True}, (0, True, False)),
            ({"automation": "to-be-automated"}, (1, True, True)),
        ],
    )
    def test_automation_and_its_flags_agree(
        self, api: httpx.Client, fields: dict[str, object], expected: tuple[int, bool, bool]
    ) -> None:
        code = make_project(api)
        case = get_case(api, code, make_case(api, code, **fields))
        assert (case["automation"], case["isManual"], case["isToBeAutomated"]) == expected

    def test_gherkin_steps(self, api: httpx.Client) -> None:
        code = make_project(api)
        scenario = "Given a user\nWhen they log in\nThen they see the dashboard"
        case = get_case(
            api, code, make_case(api, code, steps_type="gherkin", steps=[{"value": scenario}])
        )
        assert case["steps_type"] == "gherkin" and case["steps"][0]["action"] == scenario

    def test_shared_step_shows_its_current_content(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared = make_shared_step(api, code, "Open login", "Enter password")
        number = make_case(api, code, steps=[{"action": "Before"}, {"shared": shared}])
        steps = get_case(api, code, number)["steps"]
        assert [s["action"] for s in steps] == ["Before", "Open login", "Enter password"]
        assert steps[1]["shared_step_hash"] == shared and steps[1]["shared_step_nested_hash"]
        ok(
            api.patch(
                f"/v1/shared_step/{code}/{shared}",
                json={"title": "Log in", "steps": [{"action": "SSO"}]},
            )
        )
        assert [s["action"] for s in get_case(api, code, number)["steps"]] == ["Before", "SSO"]

    def test_shared_step_nesting_and_files_show_in_the_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        file_hash = upload(api, code, "screen.png", b"png")
        body = {
            "title": "Checkout",
            "steps": [
                {"action": "Pay", "attachments": [file_hash], "steps": [{"action": "Confirm 3DS"}]}
            ],
        }
        shared = ok(api.post(f"/v1/shared_step/{code}", json=body))["hash"]
        steps = get_case(api, code, make_case(api, code, steps=[{"shared": shared}]))["steps"]
        assert [s["action"] for s in steps] == ["Pay"]
        assert [a["filename"] for a in steps[0]["attachments"]] == ["screen.png"]
        assert [s["action"] for s in steps[0]["steps"]] == ["Confirm 3DS"]
        assert steps[0]["steps"][0]["shared_step_hash"] == shared

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"title": 12}, "title"),
            ({"severity": "catastrophic"}, "severity"),
            ({"priority": 99}, "priority"),
            ({"type": True}, "type"),
            ({"steps_type": "prose"}, "steps_type"),
            ({"suite_id": 999}, "suite_id"),
            ({"milestone_id": 999}, "milestone_id"),
            ({"tags": ["ok", ""]}, "tags"),
            ({"tags": "smoke"}, "tags"),
            ({"steps": [{"expected_result": "no action"}]}, "steps[0].action"),
            ({"steps": [{"shared": "nope"}]}, "steps"),
            ({"steps": [{"value": "Given x"}]}, "steps[0]"),
            (
                {"steps_type": "gherkin", "steps": [{"value": "Given", "expected_result": "x"}]},
                "steps[0]",
            ),
            ({"attachments": ["nope"]}, "attachments"),
            ({"custom_field": {"999999": "x"}}, "custom_field[999999]"),
            ({"custom_field": {"abc": "x"}}, "custom_field[abc]"),
            ({"parameters": [{"title": "p", "values": []}]}, "parameters[0].values"),
            (
                {
                    "parameters": [
                        {
                            "items": [
                                {"title": "a", "values": ["1"]},
                                {"title": "b", "values": ["1", "2"]},
                            ]
                        }
                    ]
                },
                "parameters[0].items",
            ),
            ({"parameters": [{"shared_id": "not-a-uuid"}]}, "parameters"),
            ({"created_at": "yesterday"}, "created_at"),
        ],
    )
    def test_bad_input_is_4xx_naming_the_field_and_writes_nothing(
        self, api: httpx.Client, fields: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/case/{code}", json={"title": "Bad", **fields})
        assert response.status_code == 422, response.text
        assert field in [f["field"] for f in response.json()["errorFields"]], response.text
        assert case_total(api, code) == 0
        assert ok(api.get(f"/v1/project/{code}"))["counts"]["cases"] == 0

    def test_suite_of_another_project_is_refused(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        foreign_suite = make_suite(api, other)
        make_suite(api, code, "Mine")
        response = api.post(f"/v1/case/{code}", json={"title": "x", "suite_id": foreign_suite + 1})
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "suite_id"

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as("viewer").post(f"/v1/case/{code}", json={"title": "x"}).status_code == 403

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.post("/v1/case/NOSUCHPRJ", json={"title": "x"}).status_code == 404


class TestUpdateCase:
    def test_only_given_fields_change(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(
            api, code, title="Old", severity="major", tags=["a"], steps=[{"action": "s1"}]
        )
        before = get_case(api, code, number)
        result = ok(
            api.patch(f"/v1/case/{code}/{number}", json={"title": "New", "priority": "high"})
        )
        assert result == {"id": number}
        after = get_case(api, code, number)
        assert (after["title"], after["priority"], after["severity"]) == ("New", 1, 3)
        assert after["tags"] == before["tags"] and after["steps"] == before["steps"]
        assert (
            after["updated_at"] >= before["updated_at"]
            and after["created_at"] == before["created_at"]
        )

    def test_steps_tags_and_parameters_are_replaced(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(
            api,
            code,
            tags=["a", "b"],
            steps=[{"action": "1"}, {"action": "2"}],
            parameters=[{"title": "p", "values": ["x"]}],
        )
        ok(
            api.patch(
                f"/v1/case/{code}/{number}",
                json={"tags": ["c"], "steps": [{"action": "only"}], "parameters": []},
            )
        )
        case = get_case(api, code, number)
        assert [t["title"] for t in case["tags"]] == ["c"]
        assert [s["action"] for s in case["steps"]] == ["only"]
        assert case["parameters"] == [] and case["params"] == []

    def test_is_to_be_automated_alone_keeps_manual(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code)
        ok(api.patch(f"/v1/case/{code}/{number}", json={"isToBeAutomated": True}))
        assert get_case(api, code, number)["automation"] == 1

    def test_bad_update_changes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code, title="Keep", steps=[{"action": "keep"}])
        response = api.patch(
            f"/v1/case/{code}/{number}", json={"title": "Lost", "steps": [{"data": "x"}]}
        )
        assert response.status_code == 422
        case = get_case(api, code, number)
        assert case["title"] == "Keep" and [s["action"] for s in case["steps"]] == ["keep"]

    def test_null_title_is_refused(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code)
        response = api.patch(f"/v1/case/{code}/{number}", json={"title": None})
        assert response.status_code == 422 and response.json()["errorFields"][0]["field"] == "title"

    def test_other_projects_case_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_case(api, other)
        assert api.patch(f"/v1/case/{code}/1", json={"title": "x"}).status_code == 404


class TestDeleteCase:
    def test_deleted_case_leaves_gets_lists_and_counts(self, api: httpx.Client) -> None:
        code = make_project(api)
        keep, gone = make_case(api, code), make_case(api, code)
        assert ok(api.delete(f"/v1/case/{code}/{gone}")) == {"id": gone}
        assert api.get(f"/v1/case/{code}/{gone}").status_code == 404
        assert api.delete(f"/v1/case/{code}/{gone}").status_code == 404
        assert [c["id"] for c in ok(api.get(f"/v1/case/{code}"))["entities"]] == [keep]
        assert ok(api.get(f"/v1/project/{code}"))["counts"]["cases"] == 1
        assert make_case(api, code) == 3, "numbers are never reused"

    def test_member_may_delete_viewer_may_not(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_case(api, code)
        assert client_as("viewer").delete(f"/v1/case/{code}/{number}").status_code == 403
        assert client_as("member").delete(f"/v1/case/{code}/{number}").status_code == 200
