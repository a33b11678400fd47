"""Absolute links (public run URLs, attachment URLs) never come from an untrusted `Host` header.

They come from `TESTAMENT_PUBLIC_URL` when it is set; else from the request's `Host` when it is in
`TESTAMENT_ALLOWED_HOSTS`; else from the address the connection reached. (They were built from
whatever `Host` the client sent, so anyone could make the server hand out links to their host.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_client
from tests.factories import make_project
from tests.live import LiveServer, start_server


def public_run_url(client: httpx.Client, host: str | None = None) -> str:
    code = make_project(client)
    headers = {"Host": host} if host else {}
    assert client.post(f"/v1/run/{code}", json={"title": "Run"}).status_code == 200
    response = client.patch(f"/v1/run/{code}/1/public", json={"status": True}, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["url"])


def attachment_url(client: httpx.Client, host: str) -> str:
    code = make_project(client)
    response = client.post(
        f"/v1/attachment/{code}",
        files=[("file[]", ("a.txt", b"a", "text/plain"))],
        headers={"Host": host},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["result"][0]["url"])


def started(tmp_path_factory: pytest.TempPathFactory, **settings: str) -> LiveServer:
    return start_server("sqlite", None, tmp_path_factory.mktemp("links"), settings=settings)


class TestWithoutSettings:
    def test_a_foreign_host_gets_links_to_the_address_it_reached(self, api: httpx.Client) -> None:
        own = str(api.base_url).rstrip("/")
        assert public_run_url(api, "evil.example").startswith(f"{own}/public/run/")
        assert attachment_url(api, "evil.example:8080").startswith(f"{own}/attachments/")

    def test_the_servers_own_address_is_kept(self, api: httpx.Client) -> None:
        own = str(api.base_url).rstrip("/")
        assert public_run_url(api).startswith(f"{own}/public/run/")


@pytest.fixture(scope="module")
def allowing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = started(tmp_path_factory, TESTAMENT_ALLOWED_HOSTS="testament.example, Other.Example")
    yield server
    server.stop()


class TestAllowedHosts:
    def test_an_allowed_host_is_used_with_its_port(self, allowing: LiveServer) -> None:
        with make_client(allowing, allowing.tokens["admin"]) as client:
            url = public_run_url(client, "testament.example:8443")
            assert url.startswith("http://testament.example:8443/public/run/")
            assert public_run_url(client, "other.example").startswith("http://other.example/")

    def test_a_host_not_allowed_gets_the_servers_address(self, allowing: LiveServer) -> None:
        with make_client(allowing, allowing.tokens["admin"]) as client:
            assert public_run_url(client, "evil.example").startswith(f"{allowing.url}/public/")
            assert public_run_url(client, "testament.example.evil.example").startswith(
                f"{allowing.url}/public/"
            )


def test_the_public_url_wins_over_any_host(tmp_path_factory: pytest.TempPathFactory) -> None:
    server = started(
        tmp_path_factory,
        TESTAMENT_PUBLIC_URL="https://tests.example.org/testament/",
        TESTAMENT_ALLOWED_HOSTS="*",
    )
    try:
        with make_client(server, server.tokens["admin"]) as client:
            url = public_run_url(client, "evil.example")
            assert url.startswith("https://tests.example.org/testament/public/run/")
    finally:
        server.stop()


def test_a_star_allows_every_host(tmp_path: Path) -> None:
    server = start_server("sqlite", None, tmp_path, settings={"TESTAMENT_ALLOWED_HOSTS": "*"})
    try:
        with make_client(server, server.tokens["admin"]) as client:
            assert public_run_url(client, "any.example:81").startswith("http://any.example:81/")
    finally:
        server.stop()
