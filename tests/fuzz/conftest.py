"""The fuzzer's seeded project: made once per live server (one per backend), as an admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import make_client
from tests.fuzz.seed import Seed
from tests.live import LiveServer


@pytest.fixture(scope="session")
def fuzz_seed(server: LiveServer) -> Iterator[Seed]:
    client = make_client(server, server.tokens["admin"])
    yield Seed.plant(client)
    client.close()
