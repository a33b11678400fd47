"""Shared fixtures: a live server per database backend, HTTP clients per role, the official client.

Every response a client here receives is validated against ../shared/contracts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.acting import ANY_ROLE_PERMISSION, Acting, acting
from tests.contract import validate_response
from tests.live import LiveServer, start_server
from tests.pg import PostgresForTests
from tests.qase_client_v2 import qase_v2_for, server_url_client

__all__ = ["qase_v2_for", "server_url_client"]

BACKENDS = [
    b.strip()
    for b in os.environ.get("TESTAMENT_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresForTests]:
    pg = PostgresForTests(tmp_path_factory.mktemp("pg"))
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def database_url_for(postgres: PostgresForTests) -> Callable[[str], str | None]:
    """The database URL a fresh server of `backend` should use (None: SQLite in its data dir)."""

    def make(backend: str) -> str | None:
        return postgres.fresh_database_url() if backend == "postgresql" else None

    return make


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    backend = request.param
    live = start_server(
        backend, database_url_for(backend), tmp_path_factory.mktemp(f"srv-{backend}")
    )
    yield live
    live.stop()


def _validate(response: httpx.Response) -> None:
    response.read()
    validate_response(
        response.request.method, response.request.url.path, response.status_code, response.content
    )


def make_client(server: LiveServer, token: str | None) -> httpx.Client:
    headers = {"Token": token} if token is not None else {}
    return httpx.Client(
        base_url=server.url, headers=headers, timeout=30, event_hooks={"response": [_validate]}
    )


@pytest.fixture
def client_as(server: LiveServer) -> Iterator[Callable[[str | None], httpx.Client]]:
    """`client_as("viewer")`: an HTTP client holding that role's token (None: no token)."""
    clients: list[httpx.Client] = []

    def make(role: str | None) -> httpx.Client:
        client = make_client(server, server.tokens[role] if role else None)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(client_as: Callable[[str | None], httpx.Client]) -> httpx.Client:
    """An admin's HTTP client."""
    return client_as("admin")


@pytest.fixture
def qase_for(server: LiveServer) -> Callable[[str], object]:
    """The official `qase-api-client` (qase.api_client_v1), pointed at the live server."""
    from tests.qase_client import validating_client

    return lambda role="admin": validating_client(server.url, server.tokens[role])


@pytest.fixture(name="acting")
def acting_fixture(server: LiveServer) -> Acting:
    """`with acting("DEMO", "member") as (session, ctx):` services called directly on the live
    server's database, as that role (see tests/acting.py)."""
    return lambda code, role="admin", permission=ANY_ROLE_PERMISSION, *, commit=True: acting(
        server, code, role, permission, commit=commit
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
