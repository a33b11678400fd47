"""Shared fixtures: a live server per database backend, HTTP clients per role, the official client.

Every response a client here receives is validated against the Qase contract (tests/contracts).

Which backends a test runs on (see tests/README.md): `TESTAMENT_TEST_BACKENDS` names the backends
of the run (default `sqlite,postgresql`). A test that depends on the SQL dialect runs on every one
of them: mark it `@pytest.mark.both_backends` (a test, a class, or a module's `pytestmark`); tests
that use the official clients (`qase_for`, `qase_v2_for`, `server_url_client`) are such tests
without a marker. Every other test runs on SQLite only (on the run's backends when SQLite is not
one of them, and on all of them with `TESTAMENT_TEST_ALL_BACKENDS=1`). The choice reaches every
fixture that takes `backend`: `server`, and the modules that start servers or databases of their
own.
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
# Unmarked tests: SQLite, or the run's backends when it has no SQLite or every test is asked for.
EVERY_TEST_ON_EVERY_BACKEND = os.environ.get("TESTAMENT_TEST_ALL_BACKENDS", "") == "1"
DEFAULT_BACKENDS = (
    ["sqlite"] if "sqlite" in BACKENDS and not EVERY_TEST_ON_EVERY_BACKEND else BACKENDS
)
BOTH_BACKENDS = "both_backends"
# The official clients' round trips touch every column type and default: dialect checks.
OFFICIAL_CLIENT_FIXTURES = frozenset({"qase_for", "qase_v2_for", "server_url_client"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{BOTH_BACKENDS}: depends on the SQL dialect, so runs on every backend"
    )


def backends_for(metafunc: pytest.Metafunc) -> list[str]:
    """The backends this test runs on: all of the run's when it depends on the dialect."""
    dialect_dependent = metafunc.definition.get_closest_marker(BOTH_BACKENDS) is not None
    if dialect_dependent or OFFICIAL_CLIENT_FIXTURES & set(metafunc.fixturenames):
        return BACKENDS
    return DEFAULT_BACKENDS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backends_for(metafunc), indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend this test runs on (parametrized by `pytest_generate_tests`)."""
    return str(request.param)


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


@pytest.fixture(scope="session")
def server(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
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
