"""The operator command line, run for real against real databases."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer, run_testament


def _env(server: LiveServer) -> dict[str, str]:
    return server.env


def test_revoked_token_is_refused_at_once(server: LiveServer) -> None:
    env = _env(server)
    email = f"revoke-{server.backend}@example.com"
    made = run_testament(
        "user", "create", "--email", email, "--name", "R", "--role", "viewer", "--token", env=env
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("tmt_") and "\n" not in secret
    assert httpx.get(f"{server.url}/v1/project", headers={"Token": secret}).status_code == 200

    listed = run_testament("token", "list", "--email", email, env=env)
    tokens = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(tokens) == 1
    assert secret not in listed.stdout, "token list must never show the secret"
    assert tokens[0]["last_used_at"] is not None
    assert tokens[0]["prefix"] == secret[:10]

    revoked = run_testament("token", "revoke", str(tokens[0]["id"]), env=env)
    assert revoked.returncode == 0, revoked.stderr
    refused = httpx.get(f"{server.url}/v1/project", headers={"Token": secret})
    assert refused.status_code == 401
    assert refused.json()["errorMessage"] == "Unauthenticated: the API token was revoked."


def test_token_create_acts_with_the_users_role(server: LiveServer) -> None:
    made = run_testament(
        "token", "create", "--email", "viewer@example.com", "--name", "ci", env=server.env
    )
    assert made.returncode == 0, made.stderr
    headers = {"Token": made.stdout.strip()}
    assert httpx.get(f"{server.url}/v1/project", headers=headers).status_code == 200
    create = httpx.post(
        f"{server.url}/v1/project", headers=headers, json={"title": "x", "code": "VIEWR"}
    )
    assert create.status_code == 403


@pytest.mark.both_backends  # case-insensitive email
def test_user_create_refuses_duplicates_and_unknown_roles(server: LiveServer) -> None:
    again = run_testament(
        "user", "create", "--email", "OWNER@example.com", "--name", "x", env=server.env
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr and again.stdout == ""
    bad_role = run_testament(
        "user", "create", "--email", "n@example.com", "--name", "x", "--role", "god", env=server.env
    )
    assert bad_role.returncode == 1 and "role" in bad_role.stderr


def test_token_for_unknown_user_fails_cleanly(server: LiveServer) -> None:
    done = run_testament("token", "create", "--email", "ghost@example.com", env=server.env)
    assert done.returncode == 1 and "ghost@example.com" in done.stderr


def test_revoking_an_unknown_token_fails_cleanly(server: LiveServer) -> None:
    done = run_testament("token", "revoke", "999999", env=server.env)
    assert done.returncode == 1 and "999999" in done.stderr


def test_user_list_shows_roles(server: LiveServer) -> None:
    done = run_testament("user", "list", env=server.env)
    users = {u["email"]: u for u in map(json.loads, done.stdout.splitlines())}
    assert users["viewer@example.com"]["role"] == "viewer"


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    env = {"TESTAMENT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):
        done = run_testament("db", "upgrade", env=env)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "testament.db").exists()


def test_help_lists_the_operator_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "testament", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("serve", "db", "user", "token"):
        assert command in done.stdout


def test_operator_commands_refuse_a_database_without_the_schema(tmp_path: Path) -> None:
    """Only `db upgrade` and `serve` migrate: another command on an empty database says what to
    run and leaves the database as it found it."""
    env = {**_env_without_database(), "TESTAMENT_DATA_DIR": str(tmp_path / "data")}
    commands = [
        ("user", "list"),
        ("user", "create", "--email", "a@example.com", "--name", "A", "--role", "admin"),
        ("token", "list"),
        ("role", "list"),
        ("group", "list"),
        ("maintenance", "status"),
        ("audit", "list"),
    ]
    for command in commands:
        refused = run_testament(*command, env=env)
        assert refused.returncode == 1, (command, refused.stdout, refused.stderr)
        assert "testament db upgrade" in refused.stderr, (command, refused.stderr)
        assert "no Testament schema yet" in refused.stderr
    database = tmp_path / "data" / "testament.db"
    if database.exists():
        with sqlite3.connect(database) as connection:
            tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            assert tables.fetchall() == []

    assert run_testament("db", "upgrade", env=env).returncode == 0
    listed = run_testament("user", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == ""


def test_operator_commands_refuse_an_older_schema(tmp_path: Path) -> None:
    env = {**_env_without_database(), "TESTAMENT_DATA_DIR": str(tmp_path / "data")}
    assert run_testament("db", "upgrade", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "testament.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'an-older-revision'")
    refused = run_testament("user", "list", env=env)
    assert refused.returncode == 1
    assert "has an older schema" in refused.stderr
    assert "testament db upgrade" in refused.stderr


def _env_without_database() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("TESTAMENT_")}
