"""`/v1/suite` creation and reads over HTTP against a live server (responses contract-checked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project, unique_code
from tests.suites.helpers import (
    add_case,
    field_names,
    get_suite,
    list_suites,
    make_suite,
    project_counts,
)

ClientAs = Callable[[str | None], httpx.Client]
LEGACY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


class TestCreateSuite:
    def test_creates_a_root_suite_and_reads_it_back(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {"title": "Checkout", "description": "Paying", "preconditions": "A cart"}
        response = api.post(f"/v1/suite/{code}", json=body)
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}

        got = get_suite(api, code, 1)
        assert {k: got[k] for k in (*body, "id", "parent_id", "position", "cases_count")} == {
            **body,
            "id": 1,
            "parent_id": None,
            "position": 1,
            "cases_count": 0,
        }
        created_at = datetime.fromisoformat(got["created_at"])
        assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)
        assert LEGACY.match(got["created"]) and LEGACY.match(got["updated"])
        assert got["created"] == created_at.strftime("%Y-%m-%d %H:%M:%S")

    def test_optional_fields_default_to_null(self, api: httpx.Client) -> None:
        code = make_project(api)
        got = get_suite(api, code, make_suite(api, code, "Bare", parent_id=None))
        assert got["description"] is None and got["preconditions"] is None

    def test_nested_suites_take_positions_among_their_siblings(self, api: httpx.Client) -> None:
        code = make_project(api)
        root = make_suite(api, code, "Root")
        first = make_suite(api, code, "First", parent_id=root)
        second = make_suite(api, code, "Second", parent_id=root)
        other_root = make_suite(api, code, "Other root")
        assert get_suite(api, code, first)["parent_id"] == root
        assert [get_suite(api, code, s)["position"] for s in (first, second)] == [1, 2]
        assert get_suite(api, code, other_root)["position"] == 2

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        assert [make_suite(api, one), make_suite(api, one)] == [1, 2]
        assert make_suite(api, two) == 1

    def test_project_counts_include_the_suite(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_suite(api, code)
        make_suite(api, code)
        assert project_counts(api, code)["suites"] == 2

    def test_parent_in_another_project_is_422_naming_parent_id(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_suite(api, other)
        make_suite(api, other)
        response = api.post(f"/v1/suite/{code}", json={"title": "x", "parent_id": 2})
        assert response.status_code == 422
        assert field_names(response) == ["parent_id"]
        assert list_suites(api, code)["total"] == 0

    def test_missing_parent_is_422_and_writes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(f"/v1/suite/{code}", json={"title": "x", "parent_id": 99})
        assert response.status_code == 422
        assert field_names(response) == ["parent_id"]
        assert list_suites(api, code)["total"] == 0
        # The failed request did not use up a number.
        assert make_suite(api, code) == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"title": 5}, "title"),
            ({"title": None}, "title"),
            ({"title": "x", "description": 5}, "description"),
            ({"title": "x", "preconditions": ["a"]}, "preconditions"),
            ({"title": "x", "parent_id": "abc"}, "parent_id"),
            ({"title": "x", "parent_id": 1.5}, "parent_id"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/suite/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_suites(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = client_as("viewer").post(f"/v1/suite/{code}", json={"title": "x"})
        assert response.status_code == 403
        assert "suite.create" in response.json()["errorMessage"]
        assert list_suites(api, code)["total"] == 0

    def test_member_can_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as("member").post(f"/v1/suite/{code}", json={"title": "x"}).status_code == 200

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.post(f"/v1/suite/{unique_code()}", json={"title": "x"}).status_code == 404

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        assert client_as("member").post(f"/v1/suite/{code}", json={"title": "x"}).status_code == 404


class TestGetSuite:
    def test_cases_count_counts_live_cases_directly_in_the_suite(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        parent = make_suite(api, code, "Parent")
        child = make_suite(api, code, "Child", parent_id=parent)
        add_case(acting, code, suite=parent)
        add_case(acting, code, suite=parent)
        add_case(acting, code, suite=parent, deleted=True)
        add_case(acting, code, suite=child)
        add_case(acting, code)
        assert get_suite(api, code, parent)["cases_count"] == 2
        assert get_suite(api, code, child)["cases_count"] == 1

    def test_another_projects_suite_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_suite(api, code)
        make_suite(api, other)
        make_suite(api, other)
        response = api.get(f"/v1/suite/{code}/2")
        assert response.status_code == 404
        assert response.json()["status"] is False

    @pytest.mark.parametrize("suite_id", [2**31, 2**63, 10**30])
    def test_ids_beyond_any_number_are_404(self, api: httpx.Client, suite_id: int) -> None:
        code = make_project(api)
        make_suite(api, code)
        assert api.get(f"/v1/suite/{code}/{suite_id}").status_code == 404
        response = api.post(f"/v1/suite/{code}", json={"title": "x", "parent_id": suite_id})
        assert response.status_code == 422
        assert field_names(response) == ["parent_id"]

    @pytest.mark.parametrize("suite_id", ["abc", "0", "-1"])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, suite_id: str) -> None:
        code = make_project(api)
        response = api.get(f"/v1/suite/{code}/{suite_id}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        suite = make_suite(api, code, "Readable")
        got = client_as("viewer").get(f"/v1/suite/{code}/{suite}")
        assert got.status_code == 200 and got.json()["result"]["title"] == "Readable"


@pytest.mark.both_backends  # search: lower() and LIKE
class TestListSuites:
    def test_lists_this_projects_suites_in_id_order(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code, other = make_project(api), make_project(api)
        make_suite(api, other, "Elsewhere")
        root = make_suite(api, code, "Root")
        make_suite(api, code, "Child", parent_id=root)
        add_case(acting, code, suite=root)
        result = list_suites(api, code)
        assert result["total"] == result["filtered"] == result["count"] == 2
        assert [
            (s["id"], s["title"], s["parent_id"], s["cases_count"]) for s in result["entities"]
        ] == [
            (1, "Root", None, 1),
            (2, "Child", 1, 0),
        ]

    def test_search_matches_part_of_the_title_ignoring_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        for title in ("Login form", "Logout", "Cart", "BLOG posts"):
            make_suite(api, code, title)
        result = list_suites(api, code, search="log")
        assert [s["title"] for s in result["entities"]] == ["Login form", "Logout", "BLOG posts"]
        assert (result["total"], result["filtered"], result["count"]) == (4, 3, 3)

    def test_search_treats_wildcards_literally(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_suite(api, code, "100% done")
        make_suite(api, code, "1000 items")
        make_suite(api, code, "snake_case")
        make_suite(api, code, "snakeXcase")
        assert [s["title"] for s in list_suites(api, code, search="0%")["entities"]] == [
            "100% done"
        ]
        assert [s["title"] for s in list_suites(api, code, search="e_c")["entities"]] == [
            "snake_case"
        ]

    def test_search_without_match_is_an_empty_page(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_suite(api, code, "Cart")
        result = list_suites(api, code, search="nothing like it")
        assert (result["total"], result["filtered"], result["count"]) == (1, 0, 0)

    def test_pages_cover_every_suite_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        for i in range(7):
            make_suite(api, code, f"Suite {i}")
        seen: list[int] = []
        for offset in range(0, 7, 3):
            page = list_suites(api, code, limit=3, offset=offset)
            assert page["count"] == len(page["entities"]) == min(3, 7 - offset)
            assert page["total"] == page["filtered"] == 7
            seen += [s["id"] for s in page["entities"]]
        assert seen == list(range(1, 8))

    def test_pages_of_a_search(self, api: httpx.Client) -> None:
        code = make_project(api)
        for i in range(5):
            make_suite(api, code, f"Match {i}")
            make_suite(api, code, f"Other {i}")
        page = list_suites(api, code, search="match", limit=2, offset=4)
        assert (page["total"], page["filtered"], page["count"]) == (10, 5, 1)
        assert [s["title"] for s in page["entities"]] == ["Match 4"]

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": -1}, "offset")],
    )
    def test_bad_paging_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/suite/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_viewer_can_list(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_suite(api, code)
        listed = client_as("viewer").get(f"/v1/suite/{code}")
        assert listed.status_code == 200 and listed.json()["result"]["total"] == 1

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.get(f"/v1/suite/{unique_code()}").status_code == 404
