"""`GET /v1/audit_log`: what writes record, filters, the cursor, who may read it, bad input."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from tests.acting import actor_of
from tests.audit.helpers import (
    audit_entries,
    audit_page,
    make_case,
    project_with_writes,
    user_ids,
)
from tests.factories import make_project
from tests.live import LiveServer

# Time-range filters on stored datetimes, JSON changes and the cursor differ by dialect.
pytestmark = pytest.mark.both_backends

Clients = Callable[[str | None], httpx.Client]


def token_id(server: LiveServer, role: str) -> int:
    """The id of the token a role's test client sends (ids are not on the API)."""
    found = actor_of(server, role).token_id
    assert found is not None
    return found


class TestWritesAreRecorded:
    def test_each_write_names_user_token_action_entity_changes_and_address(
        self, server: LiveServer, client_as: Clients
    ) -> None:
        admin, member = client_as("admin"), client_as("member")
        code, case_id = project_with_writes(admin, member)
        ids = user_ids(admin)

        entries = audit_entries(admin, project=code)

        assert [(e["action"], e["entity_type"], e["entity_id"]) for e in entries] == [
            ("update", "case", str(case_id)),
            ("create", "case", str(case_id)),
            ("create", "project", code),
        ]
        renamed, created, project = entries
        assert project["user_id"] == ids["admin@example.com"]
        assert project["token_id"] == token_id(server, "admin")
        assert project["changes"] == {"title": project["changes"]["title"], "access": "all"}
        assert created["user_id"] == ids["member@example.com"]
        assert created["user_email"] == "member@example.com"
        assert created["user_name"] == "Member User"
        assert created["token_id"] == token_id(server, "member")
        assert created["changes"] == {"title": "Login works"}
        assert renamed["user_email"] == "admin@example.com"
        # Only what changed, old and new; no bookkeeping (revision, updated_at).
        assert renamed["changes"] == {"title": {"old": "Login works", "new": "Login still works"}}
        for entry in entries:
            assert entry["via"] == "token"
            assert entry["remote_addr"] == "127.0.0.1"
            assert entry["project_code"] == code
            assert datetime.fromisoformat(entry["occurred_at"]).utcoffset() is not None

    def test_updates_record_old_and_new_values_and_deletes_what_went(
        self, client_as: Clients
    ) -> None:
        owner = client_as("owner")
        code = make_project(owner)
        case_id = make_case(owner, code, "Checkout")
        run = owner.post(f"/v1/run/{code}", json={"title": "Nightly", "cases": [case_id]})
        run_id = run.json()["result"]["id"]
        # The title is sent unchanged: only the description is a change.
        updated_run = owner.patch(
            f"/v1/run/{code}/{run_id}", json={"title": "Nightly", "description": "All browsers"}
        )
        assert updated_run.status_code == 200, updated_run.text
        result = owner.post(
            f"/v1/result/{code}/{run_id}", json={"case_id": case_id, "status": "failed"}
        )
        result_hash = result.json()["result"]["hash"]
        updated_result = owner.patch(
            f"/v1/result/{code}/{run_id}/{result_hash}",
            json={"status": "passed", "comment": "flaky network"},
        )
        assert updated_result.status_code == 200, updated_result.text
        assert owner.delete(f"/v1/case/{code}/{case_id}").status_code == 200

        entries = audit_entries(owner, project=code)
        by_key = {(e["entity_type"], e["action"]): e for e in entries}

        assert by_key[("run", "update")]["changes"] == {
            "description": {"old": None, "new": "All browsers"}
        }
        assert by_key[("result", "create")]["changes"] == {"run_id": run_id, "results": 1}
        assert by_key[("result", "update")]["entity_id"] == result_hash
        assert by_key[("result", "update")]["changes"] == {
            "status": {"old": "failed", "new": "passed"},
            "comment": {"old": None, "new": "flaky network"},
        }
        assert by_key[("case", "delete")]["changes"] == {"title": "Checkout"}
        assert all(e["user_email"] == "owner@example.com" for e in entries)

    def test_case_update_records_references_and_lists_as_sent(self, api: httpx.Client) -> None:
        code = make_project(api)
        case_id = make_case(api, code, "Search")
        suite = api.post(f"/v1/suite/{code}", json={"title": "Catalogue"})
        suite_id = suite.json()["result"]["id"]
        body = {
            "severity": "critical",
            "suite_id": suite_id,
            "tags": ["smoke", "search"],
            "steps": [{"action": "Open"}, {"action": "Type", "expected_result": "Hits"}],
            "description": "x" * 5000,
        }
        assert api.patch(f"/v1/case/{code}/{case_id}", json=body).status_code == 200

        (updated,) = audit_entries(api, project=code, entity_type="case", action="update")
        changes = updated["changes"]
        assert changes["severity"]["new"] != changes["severity"]["old"]
        assert changes["suite_id"] == {"new": suite_id}  # the number the client knows
        assert changes["tags"] == {"new": ["smoke", "search"]}
        assert changes["steps"] == {"new": 2}  # lists of objects by their length
        assert changes["description"]["old"] is None
        assert changes["description"]["new"].startswith("x" * 1000)
        assert len(changes["description"]["new"]) < 1100  # long texts are cut
        assert set(changes) == {"severity", "suite_id", "tags", "steps", "description"}


class TestFilters:
    def test_each_filter_narrows_the_entries(self, client_as: Clients) -> None:
        admin, member = client_as("admin"), client_as("member")
        code, case_id = project_with_writes(admin, member)
        member_id = user_ids(admin)["member@example.com"]

        def actions(**params: object) -> list[tuple[str, str]]:
            return [(e["entity_type"], e["action"]) for e in audit_entries(admin, **params)]

        assert actions(project=code.lower()) == [
            ("case", "update"),
            ("case", "create"),
            ("project", "create"),
        ]
        assert actions(project=code, user_id=member_id) == [("case", "create")]
        assert actions(project=code, entity_type="case") == [("case", "update"), ("case", "create")]
        assert actions(project=code, action="update") == [("case", "update")]
        assert actions(entity_type="project", entity_id=code) == [("project", "create")]
        assert actions(
            entity_type="case", entity_id=str(case_id), project=code, action="create"
        ) == [("case", "create")]

    def test_time_window_takes_iso_datetimes_and_unix_seconds(self, client_as: Clients) -> None:
        admin = client_as("admin")
        code, _ = project_with_writes(admin, client_as("member"))
        everything = audit_entries(admin, project=code)
        oldest = everything[-1]["occurred_at"]

        assert audit_entries(admin, project=code, from_=oldest) == everything
        assert audit_entries(admin, project=code, from_="0", to="4102444800") == everything
        assert audit_entries(admin, project=code, from_="2000-01-01T00:00:00Z") == everything
        assert audit_entries(admin, project=code, to="2000-01-01T00:00:00") == []
        assert audit_entries(admin, project=code, from_="4102444800") == []
        newest_second = datetime.fromisoformat(everything[0]["occurred_at"]).timestamp()
        assert audit_entries(admin, project=code, to=str(int(newest_second) + 1)) == everything

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        response = api.get("/v1/audit_log", params={"project": "NOSUCHPRJ"})
        assert response.status_code == 404
        assert "NOSUCHPRJ" in response.json()["errorMessage"]


class TestCursor:
    def test_walk_sees_every_entry_once_while_writes_go_on(self, api: httpx.Client) -> None:
        code = make_project(api)
        for number in range(10):
            make_case(api, code, f"Case {number}")
        everything = audit_page(api, project=code, limit=100)
        assert everything["count"] == 11 and everything["next_cursor"] is None
        first = audit_page(api, project=code)
        assert first["count"] == 10 and first["next_cursor"] is not None  # default limit: 10

        walked: list[int] = []
        page = audit_page(api, project=code, limit=3)
        walked += [e["id"] for e in page["entities"]]
        for number in range(2):  # written mid-walk: newer than the cursor, not in this walk
            make_case(api, code, f"Late {number}")
        sizes = [page["count"]]
        while page["next_cursor"] is not None:
            page = audit_page(api, project=code, limit=3, cursor=page["next_cursor"])
            walked += [e["id"] for e in page["entities"]]
            sizes.append(page["count"])

        assert walked == [e["id"] for e in everything["entities"]]
        assert sizes == [3, 3, 3, 2]
        assert walked == sorted(walked, reverse=True)
        assert audit_page(api, project=code, limit=100)["count"] == 13

    def test_a_full_last_page_has_no_cursor(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_case(api, code)
        page = audit_page(api, project=code, limit=2)
        assert page["count"] == 2 and page["next_cursor"] is None


class TestWhoMayRead:
    @pytest.mark.parametrize("role", ["viewer", "member"])
    def test_viewer_and_member_get_403_naming_the_permission(
        self, client_as: Clients, role: str
    ) -> None:
        response = client_as(role).get("/v1/audit_log")
        assert response.status_code == 403
        assert "audit_log.read" in response.json()["errorMessage"]

    @pytest.mark.parametrize("role", ["owner", "admin"])
    def test_owner_and_admin_read_it(self, client_as: Clients, role: str) -> None:
        assert audit_page(client_as(role), limit=1)["count"] == 1

    def test_no_token_is_401(self, client_as: Clients) -> None:
        assert client_as(None).get("/v1/audit_log").status_code == 401


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


class TestBadParameters:
    @pytest.mark.parametrize(
        ("params", "name"),
        [
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"cursor": _cursor("before:abc")}, "cursor"),
            ({"cursor": _cursor("before:0")}, "cursor"),
            ({"from": "yesterday"}, "from"),
            ({"from": "99999999999999999999"}, "from"),
            ({"to": "2024-13-45"}, "to"),
            ({"from": "2024-02-01", "to": "2024-01-01"}, "to"),
            ({"user_id": "abc"}, "user_id"),
        ],
    )
    def test_400_names_the_parameter(
        self, api: httpx.Client, params: dict[str, object], name: str
    ) -> None:
        response = api.get("/v1/audit_log", params=params)
        assert response.status_code == 400, response.text
        assert name in [field["field"] for field in response.json()["errorFields"]]
