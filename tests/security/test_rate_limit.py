"""Rate limits: a budget per token (default or the token's own), 429 with `Retry-After` and the
envelope, `X-RateLimit-*` on every response, recovery after the window, and one budget shared by
several app instances through a real Redis server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_client
from tests.live import LiveServer, run_testament, start_instance, start_server
from tests.redis_server import RedisForTests

LIMIT = 5


@pytest.fixture(scope="module")
def limited(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    server = start_server(
        backend,
        database_url_for(backend),
        tmp_path_factory.mktemp(f"limited-{backend}"),
        settings={"TESTAMENT_RATE_LIMIT_PER_MINUTE": str(LIMIT)},
    )
    yield server
    server.stop()


def fresh_token(server: LiveServer, *options: str) -> str:
    """A new token of the member user: a budget no other test has spent."""
    done = run_testament(
        "token", "create", "--email", "member@example.com", *options, env=server.env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def spend(client: httpx.Client, times: int) -> list[httpx.Response]:
    return [client.get("/v1/project") for _ in range(times)]


def assert_limited(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429
    body = response.json()
    assert body["status"] is False
    assert f"{limit} requests a minute" in body["errorMessage"]
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert response.headers["X-RateLimit-Limit"] == str(limit)
    assert response.headers["X-RateLimit-Remaining"] == "0"


class TestPerToken:
    def test_headers_count_the_budget_down_then_429(self, limited: LiveServer) -> None:
        with make_client(limited, fresh_token(limited)) as client:
            answers = spend(client, LIMIT)
            assert [r.status_code for r in answers] == [200] * LIMIT
            assert [r.headers["X-RateLimit-Remaining"] for r in answers] == [
                str(n) for n in range(LIMIT - 1, -1, -1)
            ]
            assert {r.headers["X-RateLimit-Limit"] for r in answers} == {str(LIMIT)}
            assert all(0 <= int(r.headers["X-RateLimit-Reset"]) <= 60 for r in answers)
            assert_limited(client.get("/v1/project"), LIMIT)
            # Writes and other resources draw on the same budget.
            assert_limited(client.post("/v1/project", json={"title": "X", "code": "XX"}), LIMIT)

    def test_each_token_has_its_own_budget(self, limited: LiveServer) -> None:
        with (
            make_client(limited, fresh_token(limited)) as first,
            make_client(limited, fresh_token(limited)) as second,
        ):
            spend(first, LIMIT)
            assert first.get("/v1/project").status_code == 429
            assert second.get("/v1/project").status_code == 200

    def test_a_token_may_carry_its_own_limit(self, limited: LiveServer) -> None:
        with make_client(limited, fresh_token(limited, "--rate-limit-per-minute", "2")) as client:
            assert [r.status_code for r in spend(client, 2)] == [200, 200]
            assert_limited(client.get("/v1/project"), 2)

    def test_a_token_limit_of_zero_is_unlimited(self, limited: LiveServer) -> None:
        with make_client(limited, fresh_token(limited, "--rate-limit-per-minute", "0")) as client:
            answers = spend(client, LIMIT * 3)
            assert {r.status_code for r in answers} == {200}
            assert "X-RateLimit-Limit" not in answers[-1].headers

    def test_failed_authentication_is_throttled_by_address(self, limited: LiveServer) -> None:
        with make_client(limited, "tmt_not-a-real-token") as client:
            answers = spend(client, LIMIT)
            assert {r.status_code for r in answers} == {401}
            assert_limited(client.get("/v1/project"), LIMIT)

    def test_throttled_failed_authentication_speaks_of_the_address(
        self, limited: LiveServer
    ) -> None:
        """Failed attempts are counted per address (there is no token to count them by)."""
        with make_client(limited, "tmt_not-a-real-token-either") as client:
            answers = spend(client, LIMIT + 1)
        assert answers[-1].status_code == 429
        message = answers[-1].json()["errorMessage"]
        assert "this address" in message and "token" not in message, message
        assert f"{LIMIT} requests a minute" in message


def test_the_budget_recovers_after_the_window(tmp_path: Path) -> None:
    """Waiting as long as `Retry-After` says is enough: on a 2-second window (60 by default), so
    the wait is as short as the window is."""
    window = 2
    server = start_server(
        "sqlite",
        None,
        tmp_path,
        settings={
            "TESTAMENT_RATE_LIMIT_PER_MINUTE": "2",
            "TESTAMENT_RATE_LIMIT_WINDOW_SECONDS": str(window),
        },
    )
    try:
        with make_client(server, server.tokens["viewer"]) as client:
            spend(client, 2)
            refused = client.get("/v1/project")
            assert refused.status_code == 429
            assert f"2 requests in {window} seconds" in refused.json()["errorMessage"]
            retry_after = int(refused.headers["Retry-After"])
            assert 1 <= retry_after <= window
            time.sleep(retry_after + 0.5)  # the wait under test: what Retry-After said
            again = client.get("/v1/project")
            assert again.status_code == 200
            assert again.headers["X-RateLimit-Remaining"] == "1"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisForTests]:
    server = RedisForTests(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def test_two_instances_share_one_budget_in_redis(
    backend: str,
    redis: RedisForTests,
    tmp_path: Path,
    database_url_for: Callable[[str], str | None],
) -> None:
    first = start_server(
        backend,
        database_url_for(backend),
        tmp_path / "a",
        settings={"TESTAMENT_RATE_LIMIT_PER_MINUTE": "6", "TESTAMENT_REDIS_URL": redis.url},
    )
    (tmp_path / "b").mkdir()
    second = start_instance(first, tmp_path / "b")
    try:
        token = first.tokens["member"]
        with make_client(first, token) as via_first, make_client(second, token) as via_second:
            assert {r.status_code for r in spend(via_first, 3)} == {200}
            answers = spend(via_second, 3)
            assert {r.status_code for r in answers} == {200}
            assert answers[-1].headers["X-RateLimit-Remaining"] == "0"
            assert_limited(via_first.get("/v1/project"), 6)
            assert_limited(via_second.get("/v1/project"), 6)
    finally:
        second.stop()
        first.stop()


def test_without_its_redis_the_api_stays_up_unlimited(tmp_path: Path) -> None:
    """A broken counter store must not take the API down: requests go through, unlimited."""
    closed = f"redis://127.0.0.1:{_closed_port()}/0"
    server = start_server(
        "sqlite",
        None,
        tmp_path,
        settings={"TESTAMENT_RATE_LIMIT_PER_MINUTE": "2", "TESTAMENT_REDIS_URL": closed},
    )
    try:
        with make_client(server, server.tokens["viewer"]) as client:
            answers = spend(client, 4)
            assert {r.status_code for r in answers} == {200}
            assert "X-RateLimit-Limit" not in answers[-1].headers
        assert server.log_path is not None
        assert "rate-limit store failed" in server.log_path.read_text()
    finally:
        server.stop()


def _closed_port() -> int:
    from tests.live import free_port

    return free_port()
