"""Fixtures of the access tests: an admin client and a user of their own, per module."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.access.helpers import User, create_user
from tests.conftest import make_client
from tests.live import LiveServer


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Iterator[httpx.Client]:
    client = make_client(server, server.tokens["admin"])
    yield client
    client.close()


@pytest.fixture(scope="module")
def granted_user(server: LiveServer, admin: httpx.Client) -> User:
    """A member of their own (made with the CLI), to grant projects to one user only."""
    return create_user(server, admin)
