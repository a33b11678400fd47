"""`/v1/shared_parameter` creation and reads over HTTP against a live server (contract-checked)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.acting import audit_actions
from tests.factories import make_project, unique_code
from tests.live import LiveServer
from tests.shared_parameters.helpers import (
    GROUP,
    SINGLE,
    field_names,
    get_parameter,
    list_parameters,
    make_parameter,
)

ClientAs = Callable[[str | None], httpx.Client]


class TestCreateSharedParameter:
    def test_creates_a_single_parameter_and_reads_it_back(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        body = {
            "title": "Browsers",
            "type": "single",
            "project_codes": [second.lower(), first, first],
            "is_enabled_for_all_projects": False,
            "parameters": SINGLE,
        }
        response = api.post("/v1/shared_parameter", json=body)
        assert response.status_code == 200
        parameter_id = response.json()["result"]["id"]
        assert str(uuid.UUID(parameter_id)) == parameter_id
        assert get_parameter(api, parameter_id) == {
            "id": parameter_id,
            "title": "Browsers",
            "type": "single",
            "project_codes": sorted([first, second]),
            "is_enabled_for_all_projects": False,
            "parameters": SINGLE,
        }

    def test_creates_a_group_enabled_for_all_projects(self, api: httpx.Client) -> None:
        parameter_id = make_parameter(
            api, "Accounts", type="group", parameters=GROUP, is_enabled_for_all_projects=True
        )
        got = get_parameter(api, parameter_id)
        assert got["type"] == "group" and got["parameters"] == GROUP
        assert got["is_enabled_for_all_projects"] is True and got["project_codes"] == []

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"title": 5}, "title"),
            ({"type": None}, "type"),
            ({"type": "triple"}, "type"),
            ({"is_enabled_for_all_projects": None}, "is_enabled_for_all_projects"),
            ({"is_enabled_for_all_projects": "yes"}, "is_enabled_for_all_projects"),
            ({"parameters": None}, "parameters"),
            ({"parameters": []}, "parameters"),
            ({"parameters": SINGLE + SINGLE}, "parameters"),
            ({"parameters": [{"title": "", "values": ["a"]}]}, "parameters[0].title"),
            ({"parameters": [{"title": "t", "values": []}]}, "parameters[0].values"),
            ({"parameters": [{"title": "t"}]}, "parameters[0].values"),
            ({"parameters": [{"title": "t", "values": [1]}]}, "parameters[0].values[0]"),
            ({"type": "group"}, "parameters"),
            (
                {"type": "group", "parameters": [GROUP[0], {**GROUP[1], "values": ["x"]}]},
                "parameters",
            ),
            ({"type": "group", "parameters": [GROUP[0], GROUP[0]]}, "parameters"),
            ({"project_codes": ["NOSUCHPROJ"]}, "project_codes"),
            ({"project_codes": "ABC"}, "project_codes"),
        ],
    )
    def test_bad_input_is_422_naming_the_field_and_writes_nothing(
        self, api: httpx.Client, change: dict[str, Any], field: str
    ) -> None:
        title = f"Bad {unique_code()}"
        body = {
            "title": title,
            "type": "single",
            "is_enabled_for_all_projects": False,
            "parameters": SINGLE,
            **change,
        }
        body = {k: v for k, v in body.items() if v is not None}
        response = api.post("/v1/shared_parameter", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_parameters(api, **{"filters[search]": title})["filtered"] == 0

    def test_a_project_hidden_from_the_caller_is_422(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        hidden = make_project(api, access="none")
        response = client_as("member").post(
            "/v1/shared_parameter",
            json={
                "title": "x",
                "type": "single",
                "project_codes": [hidden],
                "is_enabled_for_all_projects": False,
                "parameters": SINGLE,
            },
        )
        assert response.status_code == 422
        assert field_names(response) == ["project_codes"]

    def test_viewer_cannot_create_member_can(self, client_as: ClientAs) -> None:
        body = {
            "title": "Perm",
            "type": "single",
            "is_enabled_for_all_projects": True,
            "parameters": SINGLE,
        }
        response = client_as("viewer").post("/v1/shared_parameter", json=body)
        assert response.status_code == 403
        assert "shared_parameter.create" in response.json()["errorMessage"]
        assert client_as("member").post("/v1/shared_parameter", json=body).status_code == 200

    def test_creation_is_audited(self, api: httpx.Client, server: LiveServer) -> None:
        parameter_id = make_parameter(api)
        assert audit_actions(server, None, "shared_parameter", parameter_id) == ["create"]


class TestGetSharedParameter:
    def test_unknown_id_is_404(self, api: httpx.Client) -> None:
        response = api.get(f"/v1/shared_parameter/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json()["status"] is False

    def test_malformed_id_is_400(self, api: httpx.Client) -> None:
        response = api.get("/v1/shared_parameter/not-a-uuid")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_upper_case_id_finds_it(self, api: httpx.Client) -> None:
        parameter_id = make_parameter(api)
        assert get_parameter(api, parameter_id.upper())["id"] == parameter_id

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        parameter_id = make_parameter(api)
        assert client_as("viewer").get(f"/v1/shared_parameter/{parameter_id}").status_code == 200

    def test_only_projects_the_caller_sees_are_listed(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        public, hidden = make_project(api), make_project(api, access="none")
        parameter_id = make_parameter(api, project_codes=[public, hidden])
        assert get_parameter(api, parameter_id)["project_codes"] == sorted([public, hidden])
        assert get_parameter(client_as("member"), parameter_id)["project_codes"] == [public]


@pytest.mark.both_backends  # search: lower() and LIKE; JSON project filter
class TestListSharedParameters:
    def test_pages_cover_every_match_once(self, api: httpx.Client) -> None:
        token = unique_code()
        created = [make_parameter(api, f"{token} {i}") for i in range(5)]
        seen: list[str] = []
        for offset in range(0, 5, 2):
            page = list_parameters(api, limit=2, offset=offset, **{"filters[search]": token})
            assert page["filtered"] == 5 and page["total"] >= 5
            assert page["count"] == len(page["entities"]) == min(2, 5 - offset)
            seen += [p["id"] for p in page["entities"]]
        assert seen == created
        assert get_parameter(api, created[0]) == next(
            p
            for p in list_parameters(api, **{"filters[search]": token})["entities"]
            if p["id"] == created[0]
        )

    def test_search_is_case_insensitive_and_literal(self, api: httpx.Client) -> None:
        token = unique_code()
        wanted = make_parameter(api, f"Browsers {token}")
        found = list_parameters(api, **{"filters[search]": token.lower()})
        assert [p["id"] for p in found["entities"]] == [wanted]
        assert list_parameters(api, **{"filters[search]": f"{token}%"})["filtered"] == 0

    def test_type_filter(self, api: httpx.Client) -> None:
        token = unique_code()
        single = make_parameter(api, f"{token} single")
        group = make_parameter(api, f"{token} group", type="group", parameters=GROUP)
        for kind, expected in (("single", single), ("group", group)):
            found = list_parameters(api, **{"filters[search]": token, "filters[type]": kind})
            assert [p["id"] for p in found["entities"]] == [expected]

    def test_project_filter_matches_linked_or_enabled_for_all(self, api: httpx.Client) -> None:
        token = unique_code()
        first, second, third = make_project(api), make_project(api), make_project(api)
        in_first = make_parameter(api, f"{token} 1", project_codes=[first])
        in_second = make_parameter(api, f"{token} 2", project_codes=[second])
        everywhere = make_parameter(api, f"{token} all", is_enabled_for_all_projects=True)
        make_parameter(api, f"{token} nowhere")

        def ids(codes: Any) -> list[str]:
            params = {"filters[search]": token, "filters[project_codes][]": codes}
            return [p["id"] for p in list_parameters(api, **params)["entities"]]

        assert ids([first]) == [in_first, everywhere]
        assert ids([first.lower(), second]) == [in_first, in_second, everywhere]
        assert ids(f"{first},{second}") == [in_first, in_second, everywhere]  # the client's form
        assert ids([third]) == [everywhere]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"filters[type]": "triple"}, "filters[type]"),
            ({"filters[project_codes][]": "A"}, "filters[project_codes][]"),
            ({"filters[project_codes][]": "NOSUCHCODE"}, "filters[project_codes][]"),
            ({"limit": 0}, "limit"),
            ({"offset": -1}, "offset"),
        ],
    )
    def test_bad_query_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, Any], field: str
    ) -> None:
        response = api.get("/v1/shared_parameter", params=params)
        assert response.status_code == 400, response.text
        assert field_names(response) == [field]

    def test_a_hidden_project_cannot_be_filtered_on(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        hidden = make_project(api, access="none")
        response = client_as("member").get(
            "/v1/shared_parameter", params={"filters[project_codes][]": hidden}
        )
        assert response.status_code == 400
