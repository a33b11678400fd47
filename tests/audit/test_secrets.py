"""The audit log never holds a secret: no token secret, no password, no password hash."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from sqlalchemy import select

from testament.access.secrets import hash_token
from testament.models.identity import AuditEntry
from tests.acting import under_the_api
from tests.audit.helpers import audit_entries, user_ids
from tests.factories import make_project, unique_code
from tests.live import LiveServer, run_testament


def test_user_and_token_entries_hold_no_secret(
    server: LiveServer, client_as: Callable[[str | None], httpx.Client]
) -> None:
    email = f"keeper-{unique_code(6).lower()}@example.com"
    password = f"Correct-Horse-{unique_code(12)}"
    made = run_testament(
        "user", "create", "--email", email, "--name", "Secret Keeper", "--role", "admin",
        "--token", "--password-stdin",
        env=server.env,
        stdin=password + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    first_secret = made.stdout.strip()
    second = run_testament("token", "create", "--email", email, "--name", "second", env=server.env)
    assert second.returncode == 0, second.stderr
    second_secret = second.stdout.strip()
    listed = run_testament("token", "list", "--email", email, env=server.env)
    token_ids = {
        json.loads(line)["name"]: json.loads(line)["id"] for line in listed.stdout.splitlines()
    }
    revoked = run_testament("token", "revoke", str(token_ids["second"]), env=server.env)
    assert revoked.returncode == 0, revoked.stderr
    keeper = httpx.Client(base_url=server.url, headers={"Token": first_secret})
    with keeper:
        code = make_project(keeper)

    owner = client_as("owner")
    user_id = user_ids(owner)[email]
    entries = audit_entries(owner)
    logged = json.dumps(entries)
    secrets = [first_secret, second_secret, hash_token(first_secret), hash_token(second_secret)]
    for secret in [*secrets, password]:
        assert secret not in logged
    assert "$argon2" not in logged

    (user_created,) = [
        e for e in entries if (e["entity_type"], e["entity_id"]) == ("user", str(user_id))
    ]
    assert user_created["action"] == "create" and user_created["via"] == "cli"
    assert user_created["user_id"] is None and user_created["token_id"] is None
    assert user_created["changes"] == {"email": email, "role": "admin"}
    tokens = {
        (e["action"], e["entity_id"]): e["changes"]
        for e in entries
        if e["entity_type"] == "api_token"
        and e["entity_id"] in {str(i) for i in token_ids.values()}
    }
    first, second_id = str(token_ids["cli"]), str(token_ids["second"])
    assert set(tokens) == {("create", first), ("create", second_id), ("revoke", second_id)}
    expected = {
        ("create", first): {"user_id": user_id, "name": "cli", "prefix": first_secret[:10]},
        ("create", second_id): {"user_id": user_id, "name": "second", "prefix": second_secret[:10]},
        ("revoke", second_id): {"user_id": user_id, "name": "second", "prefix": second_secret[:10]},
    }
    for key, wanted in expected.items():
        assert tokens[key].items() >= wanted.items(), (key, tokens[key])
    (project_created,) = audit_entries(owner, project=code)
    assert project_created["user_email"] == email
    assert project_created["token_id"] == token_ids["cli"]

    # Under the API too: nothing the endpoint leaves out (the summary) holds a secret either.
    with under_the_api(server) as session:
        rows = session.execute(select(AuditEntry.changes, AuditEntry.summary)).all()
    stored = json.dumps([[changes, summary] for changes, summary in rows])
    for secret in [*secrets, password]:
        assert secret not in stored
    assert "$argon2" not in stored
