"""A second live server per backend with small upload limits, so limit tests send little."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import make_client
from tests.live import LiveServer, start_server

MAX_FILE = 64 * 1024
MAX_REQUEST = 160 * 1024
MAX_FILES = 3
LIMITS = {
    "TESTAMENT_ATTACHMENT_MAX_FILE_BYTES": str(MAX_FILE),
    "TESTAMENT_ATTACHMENT_MAX_REQUEST_BYTES": str(MAX_REQUEST),
    "TESTAMENT_ATTACHMENT_MAX_FILES": str(MAX_FILES),
}


@pytest.fixture(scope="session")
def limited_server(
    server: LiveServer,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    """Same backend as `server`, with LIMITS in its environment."""
    saved = {name: os.environ.get(name) for name in LIMITS}
    os.environ.update(LIMITS)
    try:
        live = start_server(
            server.backend,
            database_url_for(server.backend),
            tmp_path_factory.mktemp(f"srv-limited-{server.backend}"),
        )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    yield live
    live.stop()


@pytest.fixture
def limited_api(limited_server: LiveServer) -> Iterator[httpx.Client]:
    """An admin's client on the limited server (responses contract-checked)."""
    client = make_client(limited_server, limited_server.tokens["admin"])
    yield client
    client.close()
