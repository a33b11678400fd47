"""`/v1/environment` creation, reads and lists over HTTP (responses contract-checked)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.acting import audit_trail
from tests.environments.helpers import (
    field_names,
    get_environment,
    list_environments,
    make_environment,
)
from tests.factories import make_project, unique_code
from tests.live import LiveServer

ClientAs = Callable[[str | None], httpx.Client]


class TestCreateEnvironment:
    def test_creates_and_reads_back(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        body = {
            "title": "Staging",
            "description": "Pre-production",
            "slug": "staging",
            "host": "https://staging.example.com",
        }
        response = api.post(f"/v1/environment/{code}", json=body)
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        assert get_environment(api, code, 1) == {"id": 1, **body}
        assert audit_trail(server, code, "environment") == [("create", "1")]

    def test_optional_fields_default_to_null(self, api: httpx.Client) -> None:
        code = make_project(api)
        got = get_environment(api, code, make_environment(api, code, "qa", "QA"))
        assert got == {"id": 1, "title": "QA", "slug": "qa", "description": None, "host": None}

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        assert [make_environment(api, one, "a"), make_environment(api, one, "b")] == [1, 2]
        assert make_environment(api, two, "a") == 1

    def test_duplicate_slug_is_422_naming_slug(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "prod")
        response = api.post(f"/v1/environment/{code}", json={"title": "Other", "slug": "prod"})
        assert response.status_code == 422
        assert field_names(response) == ["slug"]
        assert list_environments(api, code)["total"] == 1
        # The failed request did not use up a number.
        assert make_environment(api, code, "next") == 2

    def test_the_same_slug_in_another_project_is_fine(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        make_environment(api, one, "prod")
        assert make_environment(api, two, "prod") == 1

    def test_slugs_differing_in_case_are_distinct(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "prod")
        assert make_environment(api, code, "PROD") == 2

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"slug": "s"}, "title"),
            ({"title": "", "slug": "s"}, "title"),
            ({"title": "x" * 256, "slug": "s"}, "title"),
            ({"title": 5, "slug": "s"}, "title"),
            ({"title": None, "slug": "s"}, "title"),
            ({"title": "t"}, "slug"),
            ({"title": "t", "slug": ""}, "slug"),
            ({"title": "t", "slug": "   "}, "slug"),
            ({"title": "t", "slug": "s" * 256}, "slug"),
            ({"title": "t", "slug": 7}, "slug"),
            ({"title": "t", "slug": None}, "slug"),
            ({"title": "t", "slug": "s", "description": 5}, "description"),
            ({"title": "t", "slug": "s", "host": ["a"]}, "host"),
            ({"title": "t\x00", "slug": "s"}, "title"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/environment/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_environments(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = client_as("viewer").post(
            f"/v1/environment/{code}", json={"title": "x", "slug": "x"}
        )
        assert response.status_code == 403
        assert "environment.create" in response.json()["errorMessage"]
        assert list_environments(api, code)["total"] == 0

    def test_member_can_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert make_environment(client_as("member"), code, "mine") == 1

    def test_unknown_and_hidden_projects_are_404(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        body = {"title": "x", "slug": "x"}
        assert api.post(f"/v1/environment/{unique_code()}", json=body).status_code == 404
        hidden = make_project(api, access="none")
        assert client_as("member").post(f"/v1/environment/{hidden}", json=body).status_code == 404

    def test_no_token_is_401(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = client_as(None).post(f"/v1/environment/{code}", json={"title": "x", "slug": "x"})
        assert response.status_code == 401


class TestGetEnvironment:
    def test_another_projects_environment_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, code, "a")
        make_environment(api, other, "a")
        make_environment(api, other, "b")
        response = api.get(f"/v1/environment/{code}/2")
        assert response.status_code == 404
        assert response.json()["status"] is False

    @pytest.mark.parametrize("environment_id", ["abc", "0", "-1", str(2**31), str(10**30)])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, environment_id: str) -> None:
        code = make_project(api)
        response = api.get(f"/v1/environment/{code}/{environment_id}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_environment(api, code, "readable")
        got = client_as("viewer").get(f"/v1/environment/{code}/1")
        assert got.status_code == 200 and got.json()["result"]["slug"] == "readable"


@pytest.mark.both_backends  # search: lower() and LIKE
class TestListEnvironments:
    def test_lists_this_projects_environments_in_id_order(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, other, "elsewhere")
        make_environment(api, code, "staging", host="https://s")
        make_environment(api, code, "prod", description="Live")
        result = list_environments(api, code)
        assert result["total"] == result["filtered"] == result["count"] == 2
        assert result["entities"] == [
            {
                "id": 1,
                "title": "Staging",
                "slug": "staging",
                "description": None,
                "host": "https://s",
            },
            {"id": 2, "title": "Prod", "slug": "prod", "description": "Live", "host": None},
        ]

    def test_search_matches_part_of_the_title_ignoring_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "a", "Staging EU")
        make_environment(api, code, "b", "Production")
        make_environment(api, code, "c", "STAGING US")
        make_environment(api, code, "d", "100% up")
        result = list_environments(api, code, search="staging")
        assert (result["total"], result["filtered"], result["count"]) == (4, 2, 2)
        assert [e["id"] for e in result["entities"]] == [1, 3]
        # `%` is taken literally, not as a wildcard.
        assert [e["id"] for e in list_environments(api, code, search="0%")["entities"]] == [4]

    def test_slug_filter_matches_the_whole_slug_exactly(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "prod")
        make_environment(api, code, "prod-eu")
        make_environment(api, code, "PROD")
        result = list_environments(api, code, slug="prod")
        assert (result["total"], result["filtered"]) == (3, 1)
        assert [e["slug"] for e in result["entities"]] == ["prod"]
        assert list_environments(api, code, slug="pro")["filtered"] == 0

    def test_search_and_slug_combine(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "eu", "Staging EU")
        make_environment(api, code, "us", "Staging US")
        result = list_environments(api, code, search="staging", slug="us")
        assert [e["id"] for e in result["entities"]] == [2]
        assert list_environments(api, code, search="prod", slug="us")["filtered"] == 0

    def test_empty_filters_filter_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "a")
        assert list_environments(api, code, search="", slug="")["filtered"] == 1

    def test_pages_cover_every_environment_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        for n in range(5):
            make_environment(api, code, f"env-{n}")
        pages = [list_environments(api, code, limit=2, offset=o) for o in (0, 2, 4, 6)]
        assert [p["count"] for p in pages] == [2, 2, 1, 0]
        assert all(p["total"] == p["filtered"] == 5 for p in pages)
        assert [e["id"] for p in pages for e in p["entities"]] == [1, 2, 3, 4, 5]

    def test_filtered_pages(self, api: httpx.Client) -> None:
        code = make_project(api)
        for n in range(4):
            make_environment(api, code, f"web-{n}", f"Web {n}")
            make_environment(api, code, f"api-{n}", f"API {n}")
        first = list_environments(api, code, search="web", limit=3)
        second = list_environments(api, code, search="web", limit=3, offset=3)
        assert (first["total"], first["filtered"], first["count"]) == (8, 4, 3)
        assert second["count"] == 1
        assert [e["title"] for e in first["entities"] + second["entities"]] == [
            "Web 0",
            "Web 1",
            "Web 2",
            "Web 3",
        ]

    def test_default_page_is_ten(self, api: httpx.Client) -> None:
        code = make_project(api)
        for n in range(11):
            make_environment(api, code, f"e{n}")
        result = api.get(f"/v1/environment/{code}").json()["result"]
        assert (result["total"], result["count"]) == (11, 10)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"limit": "x"}, "limit"),
            ({"offset": -1}, "offset"),
            ({"offset": 100_001}, "offset"),
        ],
    )
    def test_bad_paging_is_400_naming_it(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/environment/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_viewer_can_list(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_environment(api, code, "a")
        response = client_as("viewer").get(f"/v1/environment/{code}")
        assert response.status_code == 200 and response.json()["result"]["total"] == 1

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        assert client_as("member").get(f"/v1/environment/{code}").status_code == 404
