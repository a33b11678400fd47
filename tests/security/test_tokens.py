"""Tokens: shown once and stored hashed, listed with their last use, refused (401) at once on every
app instance when revoked or expired."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from testament.models.identity import ApiToken
from tests.acting import under_the_api
from tests.conftest import make_client
from tests.live import LiveServer, run_testament, start_instance


@pytest.fixture
def second(server: LiveServer, tmp_path: Path) -> Iterator[LiveServer]:
    instance = start_instance(server, tmp_path)
    yield instance
    instance.stop()


def mint(server: LiveServer, *options: str) -> str:
    done = run_testament(
        "token", "create", "--email", "viewer@example.com", "--name", "ci", *options, env=server.env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def listed(server: LiveServer) -> list[dict[str, object]]:
    done = run_testament("token", "list", "--email", "viewer@example.com", env=server.env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_secret_is_stored_only_as_a_hash(server: LiveServer) -> None:
    secret = mint(server)
    with under_the_api(server) as session:
        hashes = session.scalars(select(ApiToken.token_hash)).all()
    assert hashlib.sha256(secret.encode()).hexdigest() in hashes
    assert all(secret not in stored for stored in hashes)
    entry = next(t for t in listed(server) if secret.startswith(str(t["prefix"])))
    assert secret not in json.dumps(entry)


def test_the_list_shows_the_last_use(server: LiveServer) -> None:
    secret = mint(server)
    before = next(t for t in listed(server) if secret.startswith(str(t["prefix"])))
    assert before["last_used_at"] is None
    with make_client(server, secret) as client:
        assert client.get("/v1/project").status_code == 200
    after = next(t for t in listed(server) if secret.startswith(str(t["prefix"])))
    assert after["last_used_at"] is not None


def test_a_revoked_token_is_refused_at_once_on_every_instance(
    server: LiveServer, second: LiveServer
) -> None:
    secret = mint(server)
    with make_client(server, secret) as first_client, make_client(second, secret) as second_client:
        assert first_client.get("/v1/project").status_code == 200
        assert second_client.get("/v1/project").status_code == 200
        token_id = next(t["id"] for t in listed(server) if secret.startswith(str(t["prefix"])))
        done = run_testament("token", "revoke", str(token_id), env=server.env)
        assert done.returncode == 0, done.stderr
        for client in (first_client, second_client):
            refused = client.get("/v1/project")
            assert refused.status_code == 401
            assert "revoked" in refused.json()["errorMessage"]


def test_an_expired_token_is_refused(server: LiveServer) -> None:
    secret = mint(server, "--expires-days", "30")
    with make_client(server, secret) as client:
        assert client.get("/v1/project").status_code == 200
        # No service puts an expiry in the past: the row is changed under the API.
        with under_the_api(server, write=True) as session:
            session.execute(
                update(ApiToken)
                .where(ApiToken.token_hash == hashlib.sha256(secret.encode()).hexdigest())
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        refused = client.get("/v1/project")
        assert refused.status_code == 401
        assert "expired" in refused.json()["errorMessage"]
