"""`/v1/plan` list and single reads over HTTP against a live server (contract-checked)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project
from tests.plans.helpers import (
    add_results,
    assign,
    delete_case,
    field_names,
    get_plan,
    list_plans,
    make_cases,
    make_plan,
)

ClientAs = Callable[[str | None], httpx.Client]


@pytest.mark.both_backends  # avg() and counts are SQL aggregates
class TestListPlans:
    def test_lists_the_projects_plans_in_id_order(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, code, 3)
        make_cases(api, other, 1)
        make_plan(api, code, [1, 2, 3], "Full", description="All of it")
        make_plan(api, code, [2], "One")
        make_plan(api, other, [1], "Elsewhere")

        listed = list_plans(api, code)
        assert (listed["total"], listed["filtered"], listed["count"]) == (2, 2, 2)
        first, second = listed["entities"]
        assert {k: first[k] for k in ("id", "title", "description", "cases_count")} == {
            "id": 1,
            "title": "Full",
            "description": "All of it",
            "cases_count": 3,
        }
        assert (second["id"], second["title"], second["cases_count"]) == (2, "One", 1)
        # The list shape has no detail: no cases, no average time.
        assert "cases" not in first and "average_time" not in first
        assert first["created_at"] == get_plan(api, code, 1)["created_at"]

    def test_an_empty_project_lists_nothing(self, api: httpx.Client) -> None:
        listed = list_plans(api, make_project(api))
        assert listed == {"total": 0, "filtered": 0, "count": 0, "entities": []}

    def test_cases_count_leaves_out_deleted_cases(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 3)
        make_plan(api, code, [1, 2, 3])
        delete_case(api, code, 2)
        assert list_plans(api, code)["entities"][0]["cases_count"] == 2

    def test_pages_through_every_plan(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        for index in range(5):
            make_plan(api, code, [1], f"Plan {index}")
        pages = [list_plans(api, code, limit=2, offset=offset) for offset in (0, 2, 4, 6)]
        assert [[p["id"] for p in page["entities"]] for page in pages] == [[1, 2], [3, 4], [5], []]
        assert [(page["total"], page["count"]) for page in pages] == [
            (5, 2),
            (5, 2),
            (5, 1),
            (5, 0),
        ]

    def test_default_page_is_ten(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        for _ in range(11):
            make_plan(api, code, [1])
        response = api.get(f"/v1/plan/{code}")
        assert response.status_code == 200
        assert (response.json()["result"]["count"], response.json()["result"]["total"]) == (10, 11)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"limit": "ten"}, "limit"),
            ({"offset": -1}, "offset"),
            ({"offset": 100_001}, "offset"),
        ],
    )
    def test_bad_paging_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        response = api.get(f"/v1/plan/{make_project(api)}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_viewer_can_list(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        make_plan(api, code, [1])
        response = client_as("viewer").get(f"/v1/plan/{code}")
        assert response.status_code == 200
        assert response.json()["result"]["total"] == 1

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        assert client_as("member").get(f"/v1/plan/{code}").status_code == 404


@pytest.mark.both_backends  # avg() and counts are SQL aggregates
class TestGetPlan:
    def test_lists_live_cases_in_plan_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 4)
        plan = make_plan(api, code, [4, 2, 3, 1])
        delete_case(api, code, 3)
        got = get_plan(api, code, plan)
        assert [c["case_id"] for c in got["cases"]] == [4, 2, 1]
        assert got["cases_count"] == 3

    def test_shows_each_cases_assignee(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        plan = make_plan(api, code, [1, 2])
        user = assign(acting, code, plan, 1, "viewer@example.com")
        assert get_plan(api, code, plan)["cases"] == [
            {"case_id": 1, "assignee_id": user},
            {"case_id": 2, "assignee_id": None},
        ]

    def test_average_time_is_the_mean_result_duration_of_the_plans_cases(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 4)
        plan = make_plan(api, code, [1, 2, 3])
        add_results(acting, code, {1: [1000, 2000], 2: [4000, None], 4: [99_000]})
        add_results(acting, code, {1: [1000]})
        # (1000 + 2000 + 4000 + 1000) / 4: results without a duration and of other cases left out.
        assert get_plan(api, code, plan)["average_time"] == 2000

    def test_average_time_keeps_fractions(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        add_results(acting, code, {1: [1, 2, 2]})
        assert get_plan(api, code, plan)["average_time"] == pytest.approx(5 / 3, abs=0.001)

    def test_average_time_leaves_out_deleted_cases(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_cases(api, code, 2)
        plan = make_plan(api, code, [1, 2])
        add_results(acting, code, {1: [500], 2: [10_000]})
        delete_case(api, code, 2)
        assert get_plan(api, code, plan)["average_time"] == 500

    def test_average_time_is_zero_without_durations(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        add_results(acting, code, {1: [None]})
        assert get_plan(api, code, plan)["average_time"] == 0

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1], "Readable")
        response = client_as("viewer").get(f"/v1/plan/{code}/{plan}")
        assert response.status_code == 200
        assert response.json()["result"]["title"] == "Readable"

    def test_another_projects_plan_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, other, 1)
        make_plan(api, other, [1])
        response = api.get(f"/v1/plan/{code}/1")
        assert response.status_code == 404
        assert "plan 1" in response.json()["errorMessage"]

    def test_deleted_plan_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        plan = make_plan(api, code, [1])
        api.delete(f"/v1/plan/{code}/{plan}")
        assert api.get(f"/v1/plan/{code}/{plan}").status_code == 404

    @pytest.mark.parametrize("plan_id", ["0", "-1", "abc", str(2**31)])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, plan_id: str) -> None:
        response = api.get(f"/v1/plan/{make_project(api)}/{plan_id}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]
