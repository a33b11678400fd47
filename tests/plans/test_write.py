"""`/v1/plan` create, update and delete over HTTP against a live server (contract-checked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project, unique_code
from tests.live import LiveServer, wait_past_the_second_of
from tests.plans.helpers import (
    assign,
    delete_case,
    field_names,
    get_plan,
    list_plans,
    make_cases,
    make_plan,
    plan_case_rows,
    plan_cases,
)

ClientAs = Callable[[str | None], httpx.Client]
LEGACY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


class TestCreatePlan:
    def test_creates_a_plan_and_reads_it_back(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 3)
        body = {"title": "Smoke", "description": "Before a release", "cases": [3, 1]}
        response = api.post(f"/v1/plan/{code}", json=body)
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}

        got = get_plan(api, code, 1)
        assert {k: got[k] for k in ("id", "title", "description", "cases_count")} == {
            "id": 1,
            "title": "Smoke",
            "description": "Before a release",
            "cases_count": 2,
        }
        assert got["cases"] == [
            {"case_id": 3, "assignee_id": None},
            {"case_id": 1, "assignee_id": None},
        ]
        assert got["average_time"] == 0
        created_at = datetime.fromisoformat(got["created_at"])
        assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)
        assert got["updated_at"] == got["created_at"]
        assert LEGACY.match(got["created"]) and LEGACY.match(got["updated"])
        assert got["created"] == created_at.strftime("%Y-%m-%d %H:%M:%S")

    def test_description_defaults_to_null(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        assert get_plan(api, code, make_plan(api, code, [1]))["description"] is None

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        make_cases(api, one, 1)
        make_cases(api, two, 1)
        assert [make_plan(api, one, [1]), make_plan(api, one, [1])] == [1, 2]
        assert make_plan(api, two, [1]) == 1

    def test_repeated_cases_count_once_in_first_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 3)
        plan = make_plan(api, code, [3, 1, 3, 2, 1])
        assert plan_cases(api, code, plan) == [3, 1, 2]
        assert get_plan(api, code, plan)["cases_count"] == 3

    @pytest.mark.parametrize("number", [4, 0, -1, 2**31, 2**63])
    def test_unknown_case_is_422_naming_cases_and_writes_nothing(
        self, api: httpx.Client, number: int
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 3)
        response = api.post(f"/v1/plan/{code}", json={"title": "x", "cases": [1, number]})
        assert response.status_code == 422, response.text
        assert field_names(response) == ["cases"]
        assert str(number) in response.json()["errorMessage"]
        assert list_plans(api, code)["total"] == 0
        # The failed request did not use up a number.
        assert make_plan(api, code, [1]) == 1

    def test_deleted_case_is_422_naming_cases(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        delete_case(api, code, 2)
        response = api.post(f"/v1/plan/{code}", json={"title": "x", "cases": [1, 2]})
        assert response.status_code == 422
        assert field_names(response) == ["cases"]
        assert list_plans(api, code)["total"] == 0

    def test_another_projects_case_is_422(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, other, 2)
        response = api.post(f"/v1/plan/{code}", json={"title": "x", "cases": [2]})
        assert response.status_code == 422
        assert field_names(response) == ["cases"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"cases": [1]}, "title"),
            ({"title": "", "cases": [1]}, "title"),
            ({"title": "x" * 256, "cases": [1]}, "title"),
            ({"title": 5, "cases": [1]}, "title"),
            ({"title": None, "cases": [1]}, "title"),
            ({"title": "x", "description": 5, "cases": [1]}, "description"),
            ({"title": "x"}, "cases"),
            ({"title": "x", "cases": None}, "cases"),
            ({"title": "x", "cases": []}, "cases"),
            ({"title": "x", "cases": 1}, "cases"),
            ({"title": "x", "cases": ["1"]}, "cases[0]"),
            ({"title": "x", "cases": [1, True]}, "cases[1]"),
            ({"title": "x", "cases": [1.5]}, "cases[0]"),
            ({"title": "x", "cases": list(range(1, 10_002))}, "cases"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        response = api.post(f"/v1/plan/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_plans(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        response = client_as("viewer").post(f"/v1/plan/{code}", json={"title": "x", "cases": [1]})
        assert response.status_code == 403
        assert "plan.create" in response.json()["errorMessage"]
        assert list_plans(api, code)["total"] == 0

    def test_member_can_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        member = client_as("member")
        assert member.post(f"/v1/plan/{code}", json={"title": "x", "cases": [1]}).status_code == 200

    def test_unknown_and_hidden_projects_are_404(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        body = {"title": "x", "cases": [1]}
        assert api.post(f"/v1/plan/{unique_code()}", json=body).status_code == 404
        hidden = make_project(api, access="none")
        assert client_as("member").post(f"/v1/plan/{hidden}", json=body).status_code == 404


class TestUpdatePlan:
    def test_changes_only_the_fields_sent(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        plan = make_plan(api, code, [2, 1], "Old", description="Kept")
        response = api.patch(f"/v1/plan/{code}/{plan}", json={"title": "New"})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": plan}}
        got = get_plan(api, code, plan)
        assert (got["title"], got["description"]) == ("New", "Kept")
        assert plan_cases(api, code, plan) == [2, 1]

    def test_null_description_clears_it(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1], description="Gone soon")
        assert api.patch(f"/v1/plan/{code}/{plan}", json={"description": None}).status_code == 200
        assert get_plan(api, code, plan)["description"] is None

    def test_cases_replace_the_list_and_bump_updated_at(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 4)
        plan = make_plan(api, code, [1, 2, 3])
        before = get_plan(api, code, plan)
        wait_past_the_second_of(before["updated_at"])  # the deprecated `updated` has whole seconds
        response = api.patch(f"/v1/plan/{code}/{plan}", json={"cases": [4, 2, 4]})
        assert response.status_code == 200
        after = get_plan(api, code, plan)
        assert [c["case_id"] for c in after["cases"]] == [4, 2]
        assert after["cases_count"] == 2
        assert after["updated_at"] > before["updated_at"]
        assert after["updated"] > before["updated"]
        assert after["created_at"] == before["created_at"]

    def test_a_kept_case_keeps_its_assignee(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_cases(api, code, 3)
        plan = make_plan(api, code, [1, 2])
        user = assign(acting, code, plan, 2, "member@example.com")
        api.patch(f"/v1/plan/{code}/{plan}", json={"cases": [3, 2]})
        assert get_plan(api, code, plan)["cases"] == [
            {"case_id": 3, "assignee_id": None},
            {"case_id": 2, "assignee_id": user},
        ]

    def test_unknown_case_is_422_and_changes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        plan = make_plan(api, code, [1], "Same")
        response = api.patch(f"/v1/plan/{code}/{plan}", json={"title": "Other", "cases": [2, 9]})
        assert response.status_code == 422
        assert field_names(response) == ["cases"]
        got = get_plan(api, code, plan)
        assert (got["title"], plan_cases(api, code, plan)) == ("Same", [1])

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"description": ["x"]}, "description"),
            ({"cases": None}, "cases"),
            ({"cases": []}, "cases"),
            ({"cases": [False]}, "cases[0]"),
            ({"cases": "1,2"}, "cases"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1], "Same")
        response = api.patch(f"/v1/plan/{code}/{plan}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert get_plan(api, code, plan)["title"] == "Same"
        assert plan_cases(api, code, plan) == [1]

    def test_another_projects_plan_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, other, 1)
        make_plan(api, other, [1], "Theirs")
        assert api.patch(f"/v1/plan/{code}/1", json={"title": "Mine"}).status_code == 404
        assert get_plan(api, other, 1)["title"] == "Theirs"

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1], "Same")
        response = client_as("viewer").patch(f"/v1/plan/{code}/{plan}", json={"title": "x"})
        assert response.status_code == 403
        assert get_plan(api, code, plan)["title"] == "Same"


@pytest.mark.both_backends  # the case list goes by cascade
class TestDeletePlan:
    def test_deletes_the_plan_and_its_case_list_but_not_the_cases(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        kept = make_plan(api, code, [1])
        plan = make_plan(api, code, [1, 2])
        response = api.delete(f"/v1/plan/{code}/{plan}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": plan}}
        assert api.get(f"/v1/plan/{code}/{plan}").status_code == 404
        assert [p["id"] for p in list_plans(api, code)["entities"]] == [kept]
        assert plan_case_rows(server, code) == 1
        assert api.get(f"/v1/case/{code}/2").status_code == 200

    def test_deleted_ids_are_not_reused(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        api.delete(f"/v1/plan/{code}/{plan}")
        assert make_plan(api, code, [1]) == plan + 1

    def test_deleting_twice_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        assert api.delete(f"/v1/plan/{code}/{plan}").status_code == 200
        assert api.delete(f"/v1/plan/{code}/{plan}").status_code == 404

    def test_another_projects_plan_is_404_and_stays(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, other, 1)
        make_plan(api, other, [1])
        assert api.delete(f"/v1/plan/{code}/1").status_code == 404
        assert list_plans(api, other)["total"] == 1

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        response = client_as("viewer").delete(f"/v1/plan/{code}/{plan}")
        assert response.status_code == 403
        assert "plan.delete" in response.json()["errorMessage"]
        assert list_plans(api, code)["total"] == 1
