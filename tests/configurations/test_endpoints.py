"""`/v1/configuration` over HTTP: groups, configurations in them, and the grouped list."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.acting import audit_trail
from tests.configurations.helpers import field_names, list_groups, make_configuration, make_group
from tests.factories import make_project, unique_code
from tests.live import LiveServer

ClientAs = Callable[[str | None], httpx.Client]


class TestCreateConfigurationGroup:
    def test_creates_and_lists_it_empty(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        response = api.post(f"/v1/configuration/{code}/group", json={"title": "Browser"})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        assert list_groups(api, code)["entities"] == [
            {"id": 1, "title": "Browser", "configurations": []}
        ]
        assert audit_trail(server, code, "configuration_group") == [("create", "1")]

    def test_ids_are_numbered_per_project(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        assert [make_group(api, one, "Browser"), make_group(api, one, "OS")] == [1, 2]
        assert make_group(api, two, "Browser") == 1

    def test_duplicate_title_is_422_naming_title(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_group(api, code, "Browser")
        response = api.post(f"/v1/configuration/{code}/group", json={"title": "Browser"})
        assert response.status_code == 422
        assert field_names(response) == ["title"]
        assert list_groups(api, code)["total"] == 1
        # Titles match exactly, and the failed request used up no number.
        assert make_group(api, code, "browser") == 2

    @pytest.mark.parametrize(
        "body",
        [{}, {"title": ""}, {"title": "x" * 256}, {"title": 5}, {"title": None}, {"title": "\x00"}],
    )
    def test_bad_title_is_422(self, api: httpx.Client, body: dict[str, object]) -> None:
        code = make_project(api)
        response = api.post(f"/v1/configuration/{code}/group", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["title"]
        assert list_groups(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        viewer = client_as("viewer")
        response = viewer.post(f"/v1/configuration/{code}/group", json={"title": "x"})
        assert response.status_code == 403
        assert "configuration.create" in response.json()["errorMessage"]
        assert list_groups(api, code)["total"] == 0

    def test_member_can_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert make_group(client_as("member"), code) == 1

    def test_unknown_and_hidden_projects_are_404(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        body = {"title": "x"}
        assert api.post(f"/v1/configuration/{unique_code()}/group", json=body).status_code == 404
        hidden = make_project(api, access="none")
        member = client_as("member")
        assert member.post(f"/v1/configuration/{hidden}/group", json=body).status_code == 404


class TestCreateConfiguration:
    def test_creates_in_the_group_and_lists_it(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        browser, system = make_group(api, code, "Browser"), make_group(api, code, "OS")
        response = api.post(f"/v1/configuration/{code}", json={"title": "Firefox", "group_id": 1})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        assert make_configuration(api, code, system, "Linux") == 2
        assert make_configuration(api, code, browser, "Chrome") == 3
        assert list_groups(api, code)["entities"] == [
            {
                "id": 1,
                "title": "Browser",
                "configurations": [{"id": 1, "title": "Firefox"}, {"id": 3, "title": "Chrome"}],
            },
            {"id": 2, "title": "OS", "configurations": [{"id": 2, "title": "Linux"}]},
        ]
        assert audit_trail(server, code, "configuration") == [
            ("create", "1"),
            ("create", "2"),
            ("create", "3"),
        ]

    def test_the_same_title_in_another_group_is_fine(self, api: httpx.Client) -> None:
        code = make_project(api)
        one, two = make_group(api, code, "Staging"), make_group(api, code, "Prod")
        make_configuration(api, code, one, "Linux")
        assert make_configuration(api, code, two, "Linux") == 2

    def test_duplicate_title_in_the_group_is_422_naming_title(self, api: httpx.Client) -> None:
        code = make_project(api)
        group = make_group(api, code)
        make_configuration(api, code, group, "Firefox")
        body = {"title": "Firefox", "group_id": group}
        response = api.post(f"/v1/configuration/{code}", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["title"]
        assert make_configuration(api, code, group, "Chrome") == 2

    @pytest.mark.parametrize("group_id", [2, 2**31, 2**62])
    def test_unknown_group_is_422_naming_group_id(self, api: httpx.Client, group_id: int) -> None:
        code = make_project(api)
        make_group(api, code)
        body = {"title": "Firefox", "group_id": group_id}
        response = api.post(f"/v1/configuration/{code}", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["group_id"]
        assert list_groups(api, code)["entities"][0]["configurations"] == []

    def test_another_projects_group_is_422(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_group(api, other)
        response = api.post(f"/v1/configuration/{code}", json={"title": "x", "group_id": 1})
        assert response.status_code == 422
        assert field_names(response) == ["group_id"]
        assert list_groups(api, other)["entities"][0]["configurations"] == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"group_id": 1}, "title"),
            ({"title": "", "group_id": 1}, "title"),
            ({"title": "x" * 256, "group_id": 1}, "title"),
            ({"title": ["x"], "group_id": 1}, "title"),
            ({"title": "x"}, "group_id"),
            ({"title": "x", "group_id": None}, "group_id"),
            ({"title": "x", "group_id": "one"}, "group_id"),
            ({"title": "x", "group_id": 1.5}, "group_id"),
            ({"title": "x", "group_id": 0}, "group_id"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        make_group(api, code)
        response = api.post(f"/v1/configuration/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_groups(api, code)["entities"][0]["configurations"] == []

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        group = make_group(api, code)
        body = {"title": "x", "group_id": group}
        assert client_as("viewer").post(f"/v1/configuration/{code}", json=body).status_code == 403
        assert list_groups(api, code)["entities"][0]["configurations"] == []

    def test_member_can_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        group = make_group(api, code)
        assert make_configuration(client_as("member"), code, group, "x") == 1


class TestGetConfigurations:
    def test_lists_every_group_of_this_project_only(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_configuration(api, other, make_group(api, other, "Elsewhere"), "x")
        for n in range(12):
            make_configuration(api, code, make_group(api, code, f"Group {n}"), f"Value {n}")
        result = list_groups(api, code)
        # Not paged (the contract has no limit here): every group, with its configurations.
        assert result["total"] == result["filtered"] == result["count"] == 12
        assert [g["id"] for g in result["entities"]] == list(range(1, 13))
        assert [g["configurations"] for g in result["entities"]] == [
            [{"id": n, "title": f"Value {n - 1}"}] for n in range(1, 13)
        ]

    def test_empty_project(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert list_groups(api, code) == {"total": 0, "filtered": 0, "count": 0, "entities": []}

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_group(api, code)
        response = client_as("viewer").get(f"/v1/configuration/{code}")
        assert response.status_code == 200 and response.json()["result"]["total"] == 1

    def test_hidden_and_unknown_projects_are_404(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        hidden = make_project(api, access="none")
        assert client_as("member").get(f"/v1/configuration/{hidden}").status_code == 404
        assert api.get(f"/v1/configuration/{unique_code()}").status_code == 404

    def test_no_token_is_401(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as(None).get(f"/v1/configuration/{code}").status_code == 401


def test_concurrent_duplicates_get_one_group_and_422s(
    api: httpx.Client, client_as: ClientAs
) -> None:
    code = make_project(api)
    clients = [client_as("admin") for _ in range(6)]

    def create(client: httpx.Client) -> int:
        return client.post(f"/v1/configuration/{code}/group", json={"title": "Race"}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(pool.map(create, clients))
    assert statuses == [200] + [422] * (len(clients) - 1)
    assert list_groups(api, code)["entities"] == [{"id": 1, "title": "Race", "configurations": []}]
