"""`/v1/shared_parameter` updates and deletes over HTTP, and what a delete does to cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.acting import Acting, audit_actions
from tests.factories import make_project
from tests.live import LiveServer
from tests.shared_parameters.helpers import (
    GROUP,
    field_names,
    get_parameter,
    make_parameter,
)
from tests.shared_steps.helpers import (
    add_case,
    add_review,
    case_parameters,
    case_revision,
    stored_proposal,
)

ClientAs = Callable[[str | None], httpx.Client]


def _patch(api: httpx.Client, parameter_id: str, body: dict[str, Any]) -> httpx.Response:
    return api.patch(f"/v1/shared_parameter/{parameter_id}", json=body)


class TestUpdateSharedParameter:
    def test_updates_every_field_sent(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        parameter_id = make_parameter(api, project_codes=[first])
        values = [{"title": "OS", "values": ["Linux", "macOS", "Windows"]}]
        body = {
            "title": "Systems",
            "project_codes": [second],
            "is_enabled_for_all_projects": True,
            "parameters": values,
        }
        response = _patch(api, parameter_id, body)
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": parameter_id}}
        assert get_parameter(api, parameter_id) == {
            "id": parameter_id,
            "title": "Systems",
            "type": "single",
            "project_codes": [second],
            "is_enabled_for_all_projects": True,
            "parameters": values,
        }

    def test_fields_not_sent_are_kept(self, api: httpx.Client) -> None:
        code = make_project(api)
        parameter_id = make_parameter(api, type="group", parameters=GROUP, project_codes=[code])
        before = get_parameter(api, parameter_id)
        assert _patch(api, parameter_id, {"title": "Renamed"}).status_code == 200
        assert get_parameter(api, parameter_id) == {**before, "title": "Renamed"}

    def test_type_cannot_change(self, api: httpx.Client) -> None:
        parameter_id = make_parameter(api)
        assert _patch(api, parameter_id, {"type": "group"}).status_code == 200
        assert get_parameter(api, parameter_id)["type"] == "single"

    def test_empty_project_codes_unlinks_every_project(self, api: httpx.Client) -> None:
        parameter_id = make_parameter(api, project_codes=[make_project(api)])
        assert _patch(api, parameter_id, {"project_codes": []}).status_code == 200
        assert get_parameter(api, parameter_id)["project_codes"] == []

    def test_links_to_projects_hidden_from_the_caller_are_kept(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        public, other, hidden = (
            make_project(api),
            make_project(api),
            make_project(api, access="none"),
        )
        parameter_id = make_parameter(api, project_codes=[public, hidden])
        assert (
            _patch(client_as("member"), parameter_id, {"project_codes": [other]}).status_code == 200
        )
        assert get_parameter(api, parameter_id)["project_codes"] == sorted([other, hidden])

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"is_enabled_for_all_projects": "no"}, "is_enabled_for_all_projects"),
            ({"parameters": []}, "parameters"),
            ({"parameters": GROUP}, "parameters"),  # a single parameter takes one item
            ({"parameters": [{"title": "t", "values": []}]}, "parameters[0].values"),
            ({"project_codes": ["NOSUCHPROJ"]}, "project_codes"),
        ],
    )
    def test_bad_input_is_422_and_changes_nothing(
        self, api: httpx.Client, body: dict[str, Any], field: str
    ) -> None:
        parameter_id = make_parameter(api, project_codes=[make_project(api)])
        before = get_parameter(api, parameter_id)
        response = _patch(api, parameter_id, {"title": "Changed", **body})
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert get_parameter(api, parameter_id) == before

    def test_group_rules_hold_on_update(self, api: httpx.Client) -> None:
        parameter_id = make_parameter(api, type="group", parameters=GROUP)
        uneven = [GROUP[0], {"title": "Password", "values": ["only one"]}]
        for parameters in ([GROUP[0]], uneven):
            response = _patch(api, parameter_id, {"parameters": parameters})
            assert response.status_code == 422
            assert field_names(response) == ["parameters"]
        assert get_parameter(api, parameter_id)["parameters"] == GROUP

    def test_unknown_id_is_404(self, api: httpx.Client) -> None:
        assert _patch(api, str(uuid.uuid4()), {"title": "x"}).status_code == 404

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        parameter_id = make_parameter(api)
        assert _patch(client_as("viewer"), parameter_id, {"title": "x"}).status_code == 403
        assert get_parameter(api, parameter_id)["title"] == "Browsers"

    def test_update_is_audited(self, api: httpx.Client, server: LiveServer) -> None:
        parameter_id = make_parameter(api)
        _patch(api, parameter_id, {"title": "x"})
        assert audit_actions(server, None, "shared_parameter", parameter_id) == ["create", "update"]


@pytest.mark.both_backends  # delete cascades into cases
class TestDeleteSharedParameter:
    def test_deleted_parameter_is_gone(self, api: httpx.Client, server: LiveServer) -> None:
        parameter_id = make_parameter(api)
        response = api.delete(f"/v1/shared_parameter/{parameter_id}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": parameter_id}}
        assert api.get(f"/v1/shared_parameter/{parameter_id}").status_code == 404
        assert api.delete(f"/v1/shared_parameter/{parameter_id}").status_code == 404
        assert audit_actions(server, None, "shared_parameter", parameter_id) == ["create", "delete"]

    def test_removes_its_usages_in_cases(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        parameter_id = make_parameter(api, project_codes=[code])
        kept_id = make_parameter(api, "Kept", project_codes=[code])
        own = {"title": "own", "values": ["x"]}
        shared = [{"shared_id": parameter_id}, {"shared_id": kept_id}]
        case = add_case(acting, code, parameters=[own, *shared])
        untouched = add_case(acting, code, parameters=[{"shared_id": kept_id}])
        revision = case_revision(server, code, case)
        untouched_revision = case_revision(server, code, untouched)

        assert api.delete(f"/v1/shared_parameter/{parameter_id}").status_code == 200

        assert case_parameters(server, code, case) == [None, kept_id]
        assert case_parameters(server, code, untouched) == [kept_id]
        assert case_revision(server, code, case) == revision + 1
        assert case_revision(server, code, untouched) == untouched_revision

    def test_removes_its_usages_in_open_reviews(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        parameter_id = make_parameter(api, project_codes=[code])
        own = {"title": "Own", "values": ["a"]}
        proposal = {"title": "Case", "parameters": [own, {"shared_id": parameter_id.upper()}]}
        open_review = add_review(acting, code, proposal)
        merged_review = add_review(acting, code, proposal, merged=True)
        unrelated = add_review(acting, code, {"title": "Other", "parameters": [own]})
        history = stored_proposal(server, merged_review)
        assert history == {"title": "Case", "parameters": [own, {"shared_id": parameter_id}]}

        assert api.delete(f"/v1/shared_parameter/{parameter_id}").status_code == 200

        assert stored_proposal(server, open_review) == {"title": "Case", "parameters": [own]}
        assert stored_proposal(server, merged_review) == history  # history is left alone
        assert stored_proposal(server, unrelated) == {"title": "Other", "parameters": [own]}

    def test_malformed_id_is_400(self, api: httpx.Client) -> None:
        response = api.delete("/v1/shared_parameter/12")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        parameter_id = make_parameter(api)
        assert client_as("viewer").delete(f"/v1/shared_parameter/{parameter_id}").status_code == 403
        assert get_parameter(api, parameter_id)["id"] == parameter_id
