"""`testament audit list`: the same entries as the API, read from the database."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from tests.audit.helpers import audit_entries, project_with_writes, user_ids
from tests.live import LiveServer, run_testament


def test_json_lines_are_the_api_entries(
    server: LiveServer, client_as: Callable[[str | None], httpx.Client]
) -> None:
    admin = client_as("admin")
    code, _ = project_with_writes(admin, client_as("member"))

    done = run_testament("audit", "list", "--project", code, "--json", env=server.env)

    assert done.returncode == 0, done.stderr
    printed = [json.loads(line) for line in done.stdout.splitlines()]
    assert printed == audit_entries(admin, project=code)
    assert len(printed) == 3


def test_filters_and_limit(
    server: LiveServer, client_as: Callable[[str | None], httpx.Client]
) -> None:
    admin = client_as("admin")
    code, case_id = project_with_writes(admin, client_as("member"))
    member_id = user_ids(admin)["member@example.com"]

    def listed(*options: str) -> list[dict[str, object]]:
        done = run_testament("audit", "list", "--project", code, "--json", *options, env=server.env)
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines()]

    (updated,) = listed("--entity-type", "case", "--action", "update")
    assert updated["entity_id"] == str(case_id)
    assert updated["changes"] == {"title": {"old": "Login works", "new": "Login still works"}}
    (created,) = listed("--user-id", str(member_id))
    assert created["action"] == "create" and created["user_email"] == "member@example.com"
    assert [e["action"] for e in listed("--limit", "2")] == ["update", "create"]
    assert listed("--since", "2100-01-01") == []
    assert len(listed("--since", "0", "--until", "4102444800")) == 3


def test_table_shows_who_did_what(
    server: LiveServer, client_as: Callable[[str | None], httpx.Client]
) -> None:
    code, case_id = project_with_writes(client_as("admin"), client_as("member"))

    done = run_testament("audit", "list", "--project", code, env=server.env)

    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split()[:3] == ["ID", "WHEN", "(UTC)"]
    assert len(rows) == 3
    assert "admin@example.com" in rows[0] and "update" in rows[0] and f"case {case_id}" in rows[0]
    assert "member@example.com" in rows[1] and "create" in rows[1]
    assert f"project {code}" in rows[2] and "127.0.0.1" in rows[2]

    one = run_testament("audit", "list", "--project", code, "--limit", "1", env=server.env)
    assert len(one.stdout.splitlines()) == 2
    assert "older entries not shown" in one.stderr


def test_bad_options_fail_cleanly(server: LiveServer) -> None:
    bad_time = run_testament("audit", "list", "--since", "last tuesday", env=server.env)
    assert bad_time.returncode == 1 and "--since" in bad_time.stderr and bad_time.stdout == ""
    unknown = run_testament("audit", "list", "--project", "NOSUCHPRJ", env=server.env)
    assert unknown.returncode == 1 and "NOSUCHPRJ" in unknown.stderr
