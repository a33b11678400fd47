"""Maintenance mode: `testament maintenance on` pauses writes on every instance (503 with
`Retry-After`), reads go on, `off` lets writes through again; the setting forces it at start."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_client
from tests.factories import make_project
from tests.live import LiveServer, poll_until, run_testament, start_instance, start_server

# The servers reread the switch every 0.1 s (2 s by default), so a test waits only that long.
REFRESH = {"TESTAMENT_MAINTENANCE_REFRESH_SECONDS": "0.1"}


@pytest.fixture(scope="module")
def server_pair(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[tuple[LiveServer, LiveServer]]:
    workdir = tmp_path_factory.mktemp(f"maintenance-{backend}")
    first = start_server(backend, database_url_for(backend), workdir / "a", settings=REFRESH)
    (workdir / "b").mkdir()
    second = start_instance(first, workdir / "b")
    yield first, second
    second.stop()
    first.stop()


def writes_paused(*clients: httpx.Client) -> Callable[[], bool]:
    """Whether each client's server refuses writes now. The probe's body is a JSON array, which
    every write refuses (422) after the maintenance check (503): it never writes anything."""
    code = "NOPROJECT"
    return lambda: all(c.post(f"/v1/suite/{code}", json=[]).status_code == 503 for c in clients)


def writes_go_through(*clients: httpx.Client) -> Callable[[], bool]:
    paused = [writes_paused(c) for c in clients]
    return lambda: not any(check() for check in paused)


def switch(server: LiveServer, *args: str) -> dict[str, object]:
    done = run_testament("maintenance", *args, env=server.env)
    assert done.returncode == 0, done.stderr
    state: dict[str, object] = json.loads(done.stdout)
    return state


def test_writes_pause_on_every_instance_and_reads_go_on(
    server_pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = server_pair
    with (
        make_client(first, first.tokens["admin"]) as on_first,
        make_client(second, second.tokens["admin"]) as on_second,
    ):
        code = make_project(on_first)
        state = switch(first, "on", "--message", "Upgrading to 2.0.", "--retry-after", "120")
        assert state["on"] is True and state["retry_after"] == 120
        assert switch(first, "status")["on"] is True
        poll_until(writes_paused(on_first, on_second), "maintenance seen by both instances")
        try:
            for client in (on_first, on_second):
                refused = client.post(f"/v1/suite/{code}", json={"title": "Paused"})
                assert refused.status_code == 503
                assert refused.headers["Retry-After"] == "120"
                assert "maintenance" in refused.json()["errorMessage"]
                assert "Upgrading to 2.0." in refused.json()["errorMessage"]
                assert client.delete(f"/v1/project/{code}").status_code == 503
                assert client.get(f"/v1/project/{code}").status_code == 200
                assert client.get(f"/v1/suite/{code}").status_code == 200
            v2 = on_second.post(f"/v2/{code}/run/1/results", json={"results": []})
            assert v2.status_code == 503
        finally:
            assert switch(first, "off")["on"] is False
        poll_until(writes_go_through(on_first, on_second), "maintenance off on both instances")
        for client in (on_first, on_second):
            assert client.post(f"/v1/suite/{code}", json={"title": "Back"}).status_code == 200


def test_the_setting_starts_a_server_in_maintenance(tmp_path: Path) -> None:
    server = start_server("sqlite", None, tmp_path, settings={"TESTAMENT_MAINTENANCE": "true"})
    try:
        with make_client(server, server.tokens["admin"]) as client:
            assert client.get("/v1/project").status_code == 200
            refused = client.post("/v1/project", json={"title": "No", "code": "NOPE"})
            assert refused.status_code == 503
            assert int(refused.headers["Retry-After"]) > 0
    finally:
        server.stop()


def test_switching_is_in_the_audit_log(server_pair: tuple[LiveServer, LiveServer]) -> None:
    first, _ = server_pair
    switch(first, "on")
    switch(first, "off")
    done = run_testament("audit", "list", "--entity-type", "instance", "--json", env=first.env)
    assert done.returncode == 0, done.stderr
    actions = [json.loads(line)["action"] for line in done.stdout.splitlines() if line.strip()]
    assert actions[:2] == ["maintenance_off", "maintenance_on"]
    with make_client(first, first.tokens["admin"]) as client:
        poll_until(writes_go_through(client), "maintenance off again for the next test")
