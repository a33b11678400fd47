"""`PATCH` and `DELETE /v1/environment/{code}/{id}` over HTTP (responses contract-checked)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select

from testament.environments.service import environment_id_for
from testament.models.runs import Run
from testament.runs import service as runs
from testament.runs.schemas import RunCreate
from tests.acting import Acting, audit_trail
from tests.environments.helpers import (
    field_names,
    get_environment,
    list_environments,
    make_environment,
)
from tests.factories import make_project
from tests.live import LiveServer

ClientAs = Callable[[str | None], httpx.Client]


class TestUpdateEnvironment:
    def test_changes_only_the_fields_sent(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        make_environment(api, code, "staging", description="Old", host="https://old")
        response = api.patch(f"/v1/environment/{code}/1", json={"title": "Stage", "host": "h2"})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        assert get_environment(api, code, 1) == {
            "id": 1,
            "title": "Stage",
            "slug": "staging",
            "description": "Old",
            "host": "h2",
        }
        assert audit_trail(server, code, "environment") == [("create", "1"), ("update", "1")]

    def test_changes_the_slug(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "staging")
        assert api.patch(f"/v1/environment/{code}/1", json={"slug": "stage"}).status_code == 200
        assert list_environments(api, code, slug="stage")["filtered"] == 1
        assert list_environments(api, code, slug="staging")["filtered"] == 0

    def test_null_clears_description_and_host(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa", description="D", host="H")
        body = {"description": None, "host": None}
        assert api.patch(f"/v1/environment/{code}/1", json=body).status_code == 200
        got = get_environment(api, code, 1)
        assert (got["description"], got["host"], got["title"]) == (None, None, "Qa")

    def test_empty_body_changes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa", description="D")
        before = get_environment(api, code, 1)
        assert api.patch(f"/v1/environment/{code}/1", json={}).status_code == 200
        assert get_environment(api, code, 1) == before

    def test_keeping_its_own_slug_is_fine(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        response = api.patch(f"/v1/environment/{code}/1", json={"slug": "qa", "title": "Q"})
        assert response.status_code == 200
        assert get_environment(api, code, 1)["title"] == "Q"

    def test_another_environments_slug_is_422_and_changes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        make_environment(api, code, "prod")
        response = api.patch(f"/v1/environment/{code}/2", json={"slug": "qa", "title": "New"})
        assert response.status_code == 422
        assert field_names(response) == ["slug"]
        assert get_environment(api, code, 2)["title"] == "Prod"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"slug": None}, "slug"),
            ({"slug": " "}, "slug"),
            ({"slug": "s" * 256}, "slug"),
            ({"slug": 3}, "slug"),
            ({"description": 1.5}, "description"),
            ({"host": True}, "host"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        before = get_environment(api, code, 1)
        response = api.patch(f"/v1/environment/{code}/1", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert get_environment(api, code, 1) == before

    def test_another_projects_environment_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, other, "qa")
        response = api.patch(f"/v1/environment/{code}/1", json={"title": "x"})
        assert response.status_code == 404
        assert get_environment(api, other, 1)["title"] == "Qa"

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        response = client_as("viewer").patch(f"/v1/environment/{code}/1", json={"title": "x"})
        assert response.status_code == 403
        assert get_environment(api, code, 1)["title"] == "Qa"

    def test_member_can_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        response = client_as("member").patch(f"/v1/environment/{code}/1", json={"title": "x"})
        assert response.status_code == 200


@pytest.mark.both_backends  # runs lose it (SET NULL)
class TestDeleteEnvironment:
    def test_deletes_and_answers_the_id(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        make_environment(api, code, "prod")
        response = api.delete(f"/v1/environment/{code}/1")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        assert api.get(f"/v1/environment/{code}/1").status_code == 404
        assert [e["id"] for e in list_environments(api, code)["entities"]] == [2]
        assert audit_trail(server, code, "environment")[-1] == ("delete", "1")

    def test_the_slug_is_free_again_but_the_number_is_not_reused(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        api.delete(f"/v1/environment/{code}/1")
        assert make_environment(api, code, "qa") == 2

    def test_deleted_environment_is_404_on_every_operation(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        assert api.delete(f"/v1/environment/{code}/1").status_code == 200
        assert api.delete(f"/v1/environment/{code}/1").status_code == 404
        assert api.patch(f"/v1/environment/{code}/1", json={"title": "x"}).status_code == 404

    def test_runs_that_used_it_lose_it(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        with acting(code) as (session, ctx):
            run = runs.create_run(session, ctx, RunCreate(title="Nightly", environment_slug="qa"))
            assert run.environment_id == environment_id_for(session, ctx.project.id, slug="qa")
            run_id = run.id
        assert api.delete(f"/v1/environment/{code}/1").status_code == 200
        with acting(code, commit=False) as (session, _):
            assert session.scalar(select(Run.environment_id).where(Run.id == run_id)) is None

    def test_another_projects_environment_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, other, "qa")
        assert api.delete(f"/v1/environment/{code}/1").status_code == 404
        assert get_environment(api, other, 1)["slug"] == "qa"

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        assert client_as("viewer").delete(f"/v1/environment/{code}/1").status_code == 403
        assert list_environments(api, code)["total"] == 1

    @pytest.mark.parametrize("environment_id", ["x", "0", str(2**31)])
    def test_bad_id_is_400(self, api: httpx.Client, environment_id: str) -> None:
        code = make_project(api)
        response = api.delete(f"/v1/environment/{code}/{environment_id}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]
