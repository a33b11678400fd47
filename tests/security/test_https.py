"""HTTPS: served directly with a test certificate, HSTS on HTTPS answers, and
`TESTAMENT_REQUIRE_HTTPS` refusing plain HTTP unless a trusted proxy says the client used HTTPS."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select

from testament.models.identity import AuditEntry
from tests.acting import under_the_api
from tests.conftest import make_client
from tests.factories import unique_code
from tests.live import LiveServer, make_tls_files, start_server

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture(scope="module")
def https_server(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp(f"https-{backend}")
    server = start_server(
        backend,
        database_url_for(backend),
        workdir,
        tls=make_tls_files(workdir),
        settings={"TESTAMENT_REQUIRE_HTTPS": "true"},
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def behind_proxy(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    """Plain HTTP, HTTPS required, and this machine (the test) trusted as the proxy."""
    server = start_server(
        backend,
        database_url_for(backend),
        tmp_path_factory.mktemp(f"proxied-{backend}"),
        settings={"TESTAMENT_REQUIRE_HTTPS": "true", "TESTAMENT_TRUSTED_PROXIES": "127.0.0.1, ::1"},
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def untrusting(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """Plain HTTP, HTTPS required, and a proxy network this machine is not in."""
    server = start_server(
        "sqlite",
        None,
        tmp_path_factory.mktemp("untrusting"),
        settings={"TESTAMENT_REQUIRE_HTTPS": "true", "TESTAMENT_TRUSTED_PROXIES": "10.0.0.0/8"},
    )
    yield server
    server.stop()


def https_client(server: LiveServer, token: str) -> httpx.Client:
    assert server.ca is not None
    return httpx.Client(
        base_url=server.url,
        headers={"Token": token},
        verify=ssl.create_default_context(cafile=str(server.ca)),
        timeout=30,
    )


def assert_https_required(response: httpx.Response) -> None:
    assert response.status_code == 403
    body = response.json()
    assert body["status"] is False
    assert "HTTPS required" in body["errorMessage"]


class TestServedOverHttps:
    def test_api_calls_work_and_carry_hsts(self, https_server: LiveServer) -> None:
        with https_client(https_server, https_server.tokens["admin"]) as client:
            created = client.post("/v1/project", json={"title": "TLS", "code": unique_code()})
            assert created.status_code == 200, created.text
            listed = client.get("/v1/project")
            assert listed.status_code == 200
            assert listed.headers["Strict-Transport-Security"] == HSTS
            assert listed.headers["X-Content-Type-Options"] == "nosniff"

    def test_errors_carry_hsts_too(self, https_server: LiveServer) -> None:
        with https_client(https_server, "tmt_wrong") as client:
            refused = client.get("/v1/project")
            assert refused.status_code == 401
            assert refused.headers["Strict-Transport-Security"] == HSTS


class TestRequireHttpsBehindAProxy:
    def test_plain_http_is_refused_with_a_clear_error(self, behind_proxy: LiveServer) -> None:
        with make_client(behind_proxy, behind_proxy.tokens["admin"]) as client:
            assert_https_required(client.get("/v1/project"))
            assert_https_required(client.post("/v1/project", json={"title": "P", "code": "PP"}))
            assert_https_required(client.get("/v2/custom_field"))

    def test_health_stays_reachable_for_load_balancers(self, behind_proxy: LiveServer) -> None:
        assert httpx.get(f"{behind_proxy.url}/health").status_code == 200

    def test_a_trusted_proxy_saying_https_is_believed(self, behind_proxy: LiveServer) -> None:
        with make_client(behind_proxy, behind_proxy.tokens["admin"]) as client:
            answer = client.get("/v1/project", headers={"X-Forwarded-Proto": "https"})
            assert answer.status_code == 200
            assert answer.headers["Strict-Transport-Security"] == HSTS
            assert_https_required(client.get("/v1/project", headers={"X-Forwarded-Proto": "http"}))

    def test_the_client_address_comes_from_the_trusted_proxy(
        self, behind_proxy: LiveServer
    ) -> None:
        code = unique_code()
        with make_client(behind_proxy, behind_proxy.tokens["admin"]) as client:
            created = client.post(
                "/v1/project",
                json={"title": "Proxied", "code": code},
                headers={
                    "X-Forwarded-Proto": "https",
                    # The rightmost address not a trusted proxy is the client; what precedes it
                    # could be forged by the client itself.
                    "X-Forwarded-For": "198.51.100.7, 203.0.113.9, 127.0.0.1",
                },
            )
            assert created.status_code == 200, created.text
        with under_the_api(behind_proxy) as session:
            addresses = session.scalars(
                select(AuditEntry.remote_addr).where(
                    AuditEntry.entity_type == "project", AuditEntry.entity_id == code
                )
            ).all()
        assert addresses == ["203.0.113.9"]


class TestUntrustedForwardedHeaders:
    def test_forwarded_proto_from_anyone_else_is_ignored(self, untrusting: LiveServer) -> None:
        with make_client(untrusting, untrusting.tokens["admin"]) as client:
            assert_https_required(client.get("/v1/project", headers={"X-Forwarded-Proto": "https"}))


def test_plain_http_without_the_requirement_works(api: httpx.Client) -> None:
    answer = api.get("/v1/project")
    assert answer.status_code == 200
    assert "Strict-Transport-Security" not in answer.headers
