"""`/v1/shared_step` creation and reads over HTTP against a live server (responses contract-checked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.acting import Acting, audit_actions
from tests.factories import make_project, unique_code
from tests.live import LiveServer
from tests.shared_steps.helpers import (
    add_case,
    field_names,
    get_shared_step,
    list_shared_steps,
    make_shared_step,
)

ClientAs = Callable[[str | None], httpx.Client]
LEGACY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
HASH = re.compile(r"^[0-9a-f]{40}$")


class TestCreateSharedStep:
    def test_creates_and_reads_back_every_field(self, api: httpx.Client) -> None:
        code = make_project(api)
        steps = [
            {"action": "Open the page", "expected_result": "It opens", "data": "url"},
            {"action": "Log in", "expected_result": "Logged in", "data": "user/pass"},
        ]
        response = api.post(f"/v1/shared_step/{code}", json={"title": "Login", "steps": steps})
        assert response.status_code == 200
        shared_hash = response.json()["result"]["hash"]
        assert HASH.match(shared_hash)

        got = get_shared_step(api, code, shared_hash)
        assert got["hash"] == shared_hash and got["title"] == "Login"
        assert [
            {k: s[k] for k in ("action", "expected_result", "data", "attachments", "steps")}
            for s in got["steps"]
        ] == [{**step, "attachments": [], "steps": []} for step in steps]
        assert all(HASH.match(s["hash"]) for s in got["steps"])
        assert len({s["hash"] for s in got["steps"]}) == 2
        # The deprecated top-level fields mirror the first step.
        assert (got["action"], got["expected_result"], got["data"]) == (
            "Open the page",
            "It opens",
            "url",
        )
        assert got["cases"] == [] and got["cases_count"] == 0
        created_at = datetime.fromisoformat(got["created_at"])
        assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)
        assert got["created"] == created_at.strftime("%Y-%m-%d %H:%M:%S")
        assert LEGACY.match(got["updated"]) and got["updated_at"] >= got["created_at"]

    def test_missing_texts_read_back_as_empty_strings(self, api: httpx.Client) -> None:
        code = make_project(api)
        got = get_shared_step(api, code, make_shared_step(api, code))
        assert got["steps"][0]["expected_result"] == "" and got["steps"][0]["data"] == ""
        assert got["expected_result"] == "" and got["data"] == ""

    def test_nested_steps_are_kept_in_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        steps = [
            {
                "action": "Parent",
                "steps": [
                    {"action": "Child 1", "steps": [{"action": "Grandchild"}]},
                    {"action": "Child 2"},
                ],
            },
            {"action": "Second"},
        ]
        got = get_shared_step(api, code, make_shared_step(api, code, steps=steps))
        parent = got["steps"][0]
        assert [s["action"] for s in got["steps"]] == ["Parent", "Second"]
        assert [s["action"] for s in parent["steps"]] == ["Child 1", "Child 2"]
        assert [s["action"] for s in parent["steps"][0]["steps"]] == ["Grandchild"]
        assert parent["steps"][0]["steps"][0]["steps"] == []

    def test_deprecated_single_step_fields_make_one_step(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {"title": "Old style", "action": "Do", "expected_result": "Done", "data": "d"}
        response = api.post(f"/v1/shared_step/{code}", json=body)
        assert response.status_code == 200
        got = get_shared_step(api, code, response.json()["result"]["hash"])
        assert [(s["action"], s["expected_result"], s["data"]) for s in got["steps"]] == [
            ("Do", "Done", "d")
        ]

    def test_steps_win_over_the_deprecated_fields(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, action="ignored", steps=[{"action": "Kept"}])
        assert [s["action"] for s in get_shared_step(api, code, shared_hash)["steps"]] == ["Kept"]

    def test_a_given_step_hash_is_kept(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code, steps=[{"action": "A", "hash": "my-step"}])
        assert get_shared_step(api, code, shared_hash)["steps"][0]["hash"] == "my-step"

    def test_each_shared_step_gets_its_own_hash(self, api: httpx.Client) -> None:
        code = make_project(api)
        hashes = {make_shared_step(api, code, f"Step {i}") for i in range(3)}
        assert len(hashes) == 3

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"steps": [{"action": "x"}]}, "title"),
            ({"title": "", "steps": [{"action": "x"}]}, "title"),
            ({"title": "x" * 256, "steps": [{"action": "x"}]}, "title"),
            ({"title": 5, "steps": [{"action": "x"}]}, "title"),
            ({"title": "No steps"}, "steps"),
            ({"title": "Empty", "steps": []}, "steps"),
            ({"title": "x", "action": ""}, "action"),
            ({"title": "x", "steps": [{"expected_result": "no action"}]}, "steps[0].action"),
            ({"title": "x", "steps": [{"action": ""}]}, "steps[0].action"),
            ({"title": "x", "steps": [{"action": 1}]}, "steps[0].action"),
            ({"title": "x", "steps": [{"action": "a", "data": []}]}, "steps[0].data"),
            ({"title": "x", "steps": "one"}, "steps"),
            (
                {"title": "x", "steps": [{"action": "a", "steps": [{"data": "d"}]}]},
                "steps[0].steps[0].action",
            ),
            (
                {
                    "title": "x",
                    "steps": [{"action": "a", "hash": "h"}, {"action": "b", "hash": "h"}],
                },
                "steps[1].hash",
            ),
            ({"title": "x", "steps": [{"action": "a", "hash": "h" * 65}]}, "steps[0].hash"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/shared_step/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)

    def test_nesting_too_deep_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        step: dict[str, Any] = {"action": "deepest"}
        for level in range(6):
            step = {"action": f"level {level}", "steps": [step]}
        response = api.post(f"/v1/shared_step/{code}", json={"title": "Deep", "steps": [step]})
        assert response.status_code == 422
        assert field_names(response)[0].startswith("steps[0].steps[0]")

    def test_unknown_attachment_is_422_and_writes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {
            "title": "With file",
            "steps": [{"action": "ok"}, {"action": "a", "attachments": ["0" * 40]}],
        }
        response = api.post(f"/v1/shared_step/{code}", json=body)
        assert response.status_code == 422
        assert field_names(response) == ["steps[1].attachments"]
        assert list_shared_steps(api, code)["total"] == 0

    def test_attachments_are_linked_to_their_step(self, api: httpx.Client) -> None:
        code = make_project(api)
        upload = api.post(
            f"/v1/attachment/{code}", files={"file[]": ("notes.txt", b"hello", "text/plain")}
        )
        assert upload.status_code == 200, upload.text
        file_hash = upload.json()["result"][0]["hash"]
        steps = [{"action": "Plain"}, {"action": "With file", "attachments": [file_hash]}]
        got = get_shared_step(api, code, make_shared_step(api, code, steps=steps))
        assert got["steps"][0]["attachments"] == []
        (attached,) = got["steps"][1]["attachments"]
        assert attached["hash"] == file_hash and attached["filename"] == "notes.txt"
        assert attached["size"] == 5 and attached["mime"].startswith("text/plain")
        assert attached["url"].startswith("http")

    def test_viewer_cannot_create_member_can(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        body = {"title": "x", "steps": [{"action": "a"}]}
        response = client_as("viewer").post(f"/v1/shared_step/{code}", json=body)
        assert response.status_code == 403
        assert "shared_step.create" in response.json()["errorMessage"]
        assert list_shared_steps(api, code)["total"] == 0
        assert client_as("member").post(f"/v1/shared_step/{code}", json=body).status_code == 200

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        response = api.post(
            f"/v1/shared_step/{unique_code()}", json={"title": "x", "steps": [{"action": "a"}]}
        )
        assert response.status_code == 404

    def test_creation_is_audited(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        assert audit_actions(server, code, "shared_step", shared_hash) == ["create"]


class TestGetSharedStep:
    def test_another_projects_shared_step_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        shared_hash = make_shared_step(api, code)
        response = api.get(f"/v1/shared_step/{other}/{shared_hash}")
        assert response.status_code == 404
        assert response.json()["status"] is False

    def test_unknown_hash_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert api.get(f"/v1/shared_step/{code}/{'f' * 40}").status_code == 404

    def test_overlong_hash_is_400(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.get(f"/v1/shared_step/{code}/{'f' * 65}")
        assert response.status_code == 400
        assert field_names(response) == ["hash"]

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        shared_hash = make_shared_step(api, code)
        assert client_as("member").get(f"/v1/shared_step/{code}/{shared_hash}").status_code == 404

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        shared_hash = make_shared_step(api, code)
        assert client_as("viewer").get(f"/v1/shared_step/{code}/{shared_hash}").status_code == 200

    def test_lists_the_non_deleted_cases_using_it(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        shared_hash, unused = make_shared_step(api, code), make_shared_step(api, code, "Unused")
        # Twice in one case: counted once.
        first = add_case(acting, code, [{"shared": shared_hash}, {"shared": shared_hash}])
        nested = [{"shared": shared_hash}]
        second = add_case(
            acting, code, [{"action": "own step"}, {"action": "parent", "steps": nested}]
        )
        deleted = add_case(acting, code)
        add_case(acting, code, [{"shared": shared_hash}], deleted=True)
        got = get_shared_step(api, code, shared_hash)
        assert got["cases"] == [first, second] and got["cases_count"] == 2
        assert deleted not in got["cases"]
        assert get_shared_step(api, code, unused)["cases_count"] == 0


@pytest.mark.both_backends  # search: lower() and LIKE
class TestListSharedSteps:
    def test_lists_the_projects_shared_steps_with_their_content(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        created = [make_shared_step(api, code, f"Step {i}") for i in range(3)]
        make_shared_step(api, other)
        result = list_shared_steps(api, code)
        assert result["total"] == result["filtered"] == result["count"] == 3
        assert [s["hash"] for s in result["entities"]] == created
        assert result["entities"][0] == get_shared_step(api, code, created[0])

    def test_pages_cover_every_shared_step_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        created = [make_shared_step(api, code, f"Step {i}") for i in range(5)]
        seen: list[str] = []
        for offset in range(0, 5, 2):
            page = list_shared_steps(api, code, limit=2, offset=offset)
            assert page["total"] == page["filtered"] == 5
            assert page["count"] == len(page["entities"]) == min(2, 5 - offset)
            seen += [s["hash"] for s in page["entities"]]
        assert seen == created

    def test_search_filters_by_title_case_insensitively(self, api: httpx.Client) -> None:
        code = make_project(api)
        login = make_shared_step(api, code, "Log in as admin")
        make_shared_step(api, code, "Checkout")
        result = list_shared_steps(api, code, search="LOG IN")
        assert [s["hash"] for s in result["entities"]] == [login]
        assert result["filtered"] == 1 and result["total"] == 2

    def test_search_is_literal(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_shared_step(api, code, "Plain")
        assert list_shared_steps(api, code, search="%")["filtered"] == 0
        assert list_shared_steps(api, code, search="_")["filtered"] == 0

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": -1}, "offset")],
    )
    def test_bad_paging_is_400(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/shared_step/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.get(f"/v1/shared_step/{unique_code()}").status_code == 404

    def test_a_full_page_reads_nested_steps_and_cases(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        steps = [{"action": f"a{i}", "steps": [{"action": f"n{i}"}]} for i in range(10)]
        hashes = [make_shared_step(api, code, f"S{i}", steps=steps) for i in range(12)]
        case = add_case(acting, code, [{"shared": shared_hash} for shared_hash in hashes])
        page = list_shared_steps(api, code, limit=100)
        assert page["count"] == 12
        assert all(len(s["steps"]) == 10 and s["cases"] == [case] for s in page["entities"])
