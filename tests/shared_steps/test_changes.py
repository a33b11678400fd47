"""`/v1/shared_step` updates and deletes over HTTP, and what they do to cases using the step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.acting import Acting, audit_actions
from tests.factories import make_project
from tests.live import LiveServer
from tests.shared_steps.helpers import (
    add_case,
    case_revision,
    field_names,
    get_shared_step,
    item_count,
    list_shared_steps,
    make_shared_step,
    stored_steps,
)

ClientAs = Callable[[str | None], httpx.Client]


def _patch(api: httpx.Client, code: str, shared_hash: str, body: dict[str, Any]) -> httpx.Response:
    return api.patch(f"/v1/shared_step/{code}/{shared_hash}", json=body)


class TestUpdateSharedStep:
    def test_replaces_title_and_steps(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, steps=[{"action": "Old 1"}, {"action": "Old 2"}])
        before = get_shared_step(api, code, shared_hash)
        steps = [
            {"action": "New", "expected_result": "Works", "data": "x", "steps": [{"action": "Sub"}]}
        ]
        response = _patch(api, code, shared_hash, {"title": "Renamed", "steps": steps})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"hash": shared_hash}}

        got = get_shared_step(api, code, shared_hash)
        assert got["title"] == "Renamed" and got["created_at"] == before["created_at"]
        assert got["updated_at"] >= before["updated_at"]
        assert [(s["action"], s["expected_result"], s["data"]) for s in got["steps"]] == [
            ("New", "Works", "x")
        ]
        assert [s["action"] for s in got["steps"][0]["steps"]] == ["Sub"]
        assert got["action"] == "New"

    def test_sending_a_steps_hash_keeps_it(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, steps=[{"action": "A"}, {"action": "B"}])
        kept = get_shared_step(api, code, shared_hash)["steps"][1]["hash"]
        body = {"title": "t", "steps": [{"action": "B edited", "hash": kept}, {"action": "C"}]}
        assert _patch(api, code, shared_hash, body).status_code == 200
        steps = get_shared_step(api, code, shared_hash)["steps"]
        assert steps[0]["hash"] == kept and steps[1]["hash"] != kept

    def test_title_only_keeps_the_steps(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, steps=[{"action": "A"}, {"action": "B"}])
        before = get_shared_step(api, code, shared_hash)["steps"]
        assert _patch(api, code, shared_hash, {"title": "Only title"}).status_code == 200
        got = get_shared_step(api, code, shared_hash)
        assert got["title"] == "Only title" and got["steps"] == before

    def test_deprecated_fields_edit_the_first_step(self, api: httpx.Client) -> None:
        code = make_project(api)
        steps = [{"action": "A", "data": "keep me"}, {"action": "B"}]
        shared_hash = make_shared_step(api, code, steps=steps)
        body = {"title": "t", "action": "A2", "expected_result": "E2"}
        assert _patch(api, code, shared_hash, body).status_code == 200
        got = get_shared_step(api, code, shared_hash)["steps"]
        assert [(s["action"], s["expected_result"], s["data"]) for s in got] == [
            ("A2", "E2", "keep me"),
            ("B", "", ""),
        ]

    def test_every_case_using_it_sees_the_change(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        case = add_case(acting, code, [{"shared": shared_hash}])
        revision = case_revision(server, code, case)
        body = {"title": "t", "steps": [{"action": "Changed"}]}
        assert _patch(api, code, shared_hash, body).status_code == 200
        # Nothing is copied into the case: its step still stands for the shared step.
        assert [s.shared for s in stored_steps(server, code, case)] == [shared_hash]
        assert case_revision(server, code, case) == revision
        assert get_shared_step(api, code, shared_hash)["cases"] == [case]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"steps": [{"action": "x"}]}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x", "steps": []}, "steps"),
            ({"title": "x", "steps": [{"data": "no action"}]}, "steps[0].action"),
            ({"title": "x", "action": ""}, "action"),
            (
                {"title": "x", "steps": [{"action": "a", "attachments": ["nope"]}]},
                "steps[0].attachments",
            ),
        ],
    )
    def test_bad_input_is_422_and_changes_nothing(
        self, api: httpx.Client, body: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, steps=[{"action": "A"}, {"action": "B"}])
        before = get_shared_step(api, code, shared_hash)
        response = _patch(api, code, shared_hash, body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert get_shared_step(api, code, shared_hash) == before

    def test_another_projects_shared_step_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        shared_hash = make_shared_step(api, code)
        assert _patch(api, other, shared_hash, {"title": "x"}).status_code == 404
        assert get_shared_step(api, code, shared_hash)["title"] == "Log in"

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        assert _patch(client_as("viewer"), code, shared_hash, {"title": "x"}).status_code == 403
        assert get_shared_step(api, code, shared_hash)["title"] == "Log in"

    def test_update_is_audited(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        _patch(api, code, shared_hash, {"title": "x"})
        assert audit_actions(server, code, "shared_step", shared_hash) == ["create", "update"]


@pytest.mark.both_backends  # delete cascades into cases
class TestDeleteSharedStep:
    def test_deleted_shared_step_is_gone(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(
            api, code, steps=[{"action": "A", "steps": [{"action": "B"}]}]
        )
        response = api.delete(f"/v1/shared_step/{code}/{shared_hash}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"hash": shared_hash}}
        assert api.get(f"/v1/shared_step/{code}/{shared_hash}").status_code == 404
        assert list_shared_steps(api, code)["total"] == 0
        assert item_count(server, shared_hash) == 0
        assert api.delete(f"/v1/shared_step/{code}/{shared_hash}").status_code == 404
        assert audit_actions(server, code, "shared_step", shared_hash) == ["create", "delete"]

    def test_removes_it_from_cases_and_renumbers(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        shared_hash, kept_hash = make_shared_step(api, code), make_shared_step(api, code, "Kept")
        nested = [{"shared": shared_hash}, {"action": "child"}]
        case = add_case(
            acting,
            code,
            [
                {"action": "first"},
                {"shared": shared_hash},
                {"action": "parent", "steps": nested},
                {"shared": kept_hash},
            ],
        )
        untouched = add_case(acting, code, [{"action": "alone"}])
        parent = next(s.id for s in stored_steps(server, code, case) if s.action == "parent")
        revision = case_revision(server, code, case)
        untouched_revision = case_revision(server, code, untouched)

        assert api.delete(f"/v1/shared_step/{code}/{shared_hash}").status_code == 200

        steps = stored_steps(server, code, case)
        assert [(s.action, s.shared, s.position) for s in steps if s.parent_id is None] == [
            ("first", None, 1),
            ("parent", None, 2),
            ("", kept_hash, 3),
        ]
        assert [(s.action, s.position) for s in steps if s.parent_id == parent] == [("child", 1)]
        assert case_revision(server, code, case) == revision + 1
        assert case_revision(server, code, untouched) == untouched_revision
        assert get_shared_step(api, code, kept_hash)["cases"] == [case]

    def test_another_projects_shared_step_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        shared_hash = make_shared_step(api, code)
        assert api.delete(f"/v1/shared_step/{other}/{shared_hash}").status_code == 404
        assert get_shared_step(api, code, shared_hash)["hash"] == shared_hash

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        response = client_as("viewer").delete(f"/v1/shared_step/{code}/{shared_hash}")
        assert response.status_code == 403
        assert get_shared_step(api, code, shared_hash)["hash"] == shared_hash
