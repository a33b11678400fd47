"""Operator commands for custom roles, groups and role changes, seen through the API at once."""

from __future__ import annotations

import json

import httpx

from tests.conftest import make_client
from tests.factories import make_project, unique_code
from tests.live import LiveServer, run_testament


def cli(server: LiveServer, *args: str) -> str:
    done = run_testament(*args, env=server.env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def new_user(server: LiveServer, role: str) -> tuple[str, str]:
    email = f"{unique_code().lower()}@example.com"
    token = cli(
        server, "user", "create", "--email", email, "--name", "N", "--role", role, "--token"
    )
    return email, token


class TestCustomRoles:
    def test_a_custom_role_holds_exactly_its_permissions(
        self, server: LiveServer, api: httpx.Client
    ) -> None:
        name = f"reader-{unique_code().lower()}"
        role = json.loads(
            cli(
                server, "role", "create", "--name", name,
                "--permission", "project.read", "--permission", "case.read",
            )
        )  # fmt: skip
        assert role["permissions"] == ["case.read", "project.read"]
        code = make_project(api)
        _, token = new_user(server, name)
        with make_client(server, token) as client:
            assert client.get(f"/v1/case/{code}").status_code == 200
            refused = client.get(f"/v1/suite/{code}")
            assert refused.status_code == 403
            assert "`suite.read`" in refused.json()["errorMessage"]
        listed = [json.loads(line) for line in cli(server, "role", "list").splitlines()]
        assert {r["name"] for r in listed} >= {"owner", "admin", "member", "viewer", name}

    def test_like_starts_from_another_roles_permissions(
        self, server: LiveServer, api: httpx.Client
    ) -> None:
        name = f"closer-{unique_code().lower()}"
        cli(
            server,
            "role",
            "create",
            "--name",
            name,
            "--like",
            "viewer",
            "--permission",
            "run.complete",
        )
        code = make_project(api)
        run = api.post(f"/v1/run/{code}", json={"title": "R"}).json()["result"]["id"]
        _, token = new_user(server, name)
        with make_client(server, token) as client:
            assert client.get(f"/v1/run/{code}/{run}").status_code == 200
            assert client.post(f"/v1/run/{code}/{run}/complete").status_code == 200
            assert client.post(f"/v1/suite/{code}", json={"title": "S"}).status_code == 403

    def test_unknown_permissions_and_builtin_names_are_refused(self, server: LiveServer) -> None:
        unknown = run_testament(
            "role", "create", "--name", "x-role", "--permission", "case.fly", env=server.env
        )
        assert unknown.returncode == 1 and "case.fly" in unknown.stderr
        builtin = run_testament("role", "create", "--name", "admin", env=server.env)
        assert builtin.returncode == 1 and "built-in" in builtin.stderr


def test_set_role_takes_effect_on_the_next_request(server: LiveServer, api: httpx.Client) -> None:
    code = make_project(api)
    email, token = new_user(server, "viewer")
    with make_client(server, token) as client:
        assert client.post(f"/v1/suite/{code}", json={"title": "S"}).status_code == 403
        cli(server, "user", "set-role", "--email", email, "--role", "member")
        assert client.post(f"/v1/suite/{code}", json={"title": "S"}).status_code == 200


def test_a_project_open_to_a_group_follows_its_membership(
    server: LiveServer, api: httpx.Client
) -> None:
    title = f"Team {unique_code()}"
    group = json.loads(cli(server, "group", "create", "--title", title))
    code = unique_code()
    created = api.post(
        "/v1/project",
        json={"title": "Grouped", "code": code, "access": "group", "group": group["hash"]},
    )
    assert created.status_code == 200, created.text
    email, token = new_user(server, "member")
    with make_client(server, token) as client:
        assert client.get(f"/v1/project/{code}").status_code == 404
        added = json.loads(cli(server, "group", "add", "--group", title, "--email", email))
        assert added["members"] == [email]
        assert client.get(f"/v1/project/{code}").status_code == 200
        cli(server, "group", "remove", "--group", group["hash"], "--email", email)
        assert client.get(f"/v1/project/{code}").status_code == 404
    listed = [json.loads(line) for line in cli(server, "group", "list").splitlines()]
    assert any(g["hash"] == group["hash"] and g["members"] == [] for g in listed)
