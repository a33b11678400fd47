"""Size limits (413 before the body is read, or as soon as it passes the limit), the attachment
quota (507, nothing stored), 406 for clients that take no JSON, 410 for a deleted attachment."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import make_client
from tests.factories import make_project
from tests.live import LiveServer, start_server

# The attachment quota is checked under a lock (advisory on PostgreSQL).
pytestmark = pytest.mark.both_backends

MAX_BODY = 4096
QUOTA = 1000


@pytest.fixture(scope="module")
def small(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    server = start_server(
        backend,
        database_url_for(backend),
        tmp_path_factory.mktemp(f"small-{backend}"),
        settings={
            "TESTAMENT_MAX_BODY_BYTES": str(MAX_BODY),
            "TESTAMENT_ATTACHMENT_QUOTA_BYTES": str(QUOTA),
        },
    )
    yield server
    server.stop()


@pytest.fixture
def admin(small: LiveServer) -> Iterator[httpx.Client]:
    with make_client(small, small.tokens["admin"]) as client:
        yield client


def raw_request(server: LiveServer, head: str) -> bytes:
    """Send only a request's head and read the whole answer (the server closes after it)."""
    address = urlsplit(server.url)
    assert address.hostname and address.port
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and answer.rstrip().endswith(b"}"):
                break
    return answer


class TestRequestBodies:
    def test_a_declared_length_over_the_limit_is_refused_before_the_body(
        self, small: LiveServer
    ) -> None:
        answer = raw_request(
            small,
            "POST /v1/project HTTP/1.1\r\n"
            f"Host: {urlsplit(small.url).netloc}\r\n"
            f"Token: {small.tokens['admin']}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {100 * MAX_BODY}\r\n"
            "Connection: close\r\n\r\n",
        )
        status_line, _, rest = answer.partition(b"\r\n")
        assert b" 413 " in status_line, answer
        assert b'"field":"body"' in rest
        assert f"at most {MAX_BODY} bytes".encode() in rest

    def test_a_streamed_body_is_cut_off_at_the_limit(self, admin: httpx.Client) -> None:
        """Without `Content-Length` (chunked), the body is counted as it arrives."""

        def chunks() -> Iterator[bytes]:
            yield b'{"title": "'
            for _ in range(10):
                yield b"x" * 1024
            yield b'", "code": "BIGBODY"}'

        refused = admin.post(
            "/v1/project", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert refused.status_code == 413
        assert refused.json()["errorFields"][0]["field"] == "body"
        assert admin.get("/v1/project/BIGBODY").status_code == 404

    def test_a_body_within_the_limit_goes_through(self, admin: httpx.Client) -> None:
        code = make_project(admin, description="d" * (MAX_BODY // 2))
        assert admin.get(f"/v1/project/{code}").status_code == 200


class TestAttachmentQuota:
    def test_uploads_past_the_quota_get_507_and_store_nothing(self, admin: httpx.Client) -> None:
        code = make_project(admin)

        def upload(content: bytes, name: str) -> httpx.Response:
            return admin.post(
                f"/v1/attachment/{code}", files={"file[]": (name, content, "text/plain")}
            )

        first = b"a" * 600
        assert upload(first, "a.txt").status_code == 200
        # The same bytes again are shared with the stored blob: they cost nothing.
        assert upload(first, "again.txt").status_code == 200
        refused = upload(b"b" * 600, "b.txt")
        assert refused.status_code == 507
        message = refused.json()["errorMessage"]
        assert "quota" in message and "600 bytes" in message
        listed = admin.get("/v1/attachment", params={"limit": 100}).json()["result"]["entities"]
        assert sorted(a["file"] for a in listed if a["file"].endswith(".txt")) == [
            "a.txt",
            "again.txt",
        ]


class TestAccept:
    @pytest.mark.parametrize(
        "accept", ["text/html", "application/xml, text/plain", "application/json;q=0, text/html"]
    )
    def test_a_client_taking_no_json_gets_406(self, admin: httpx.Client, accept: str) -> None:
        refused = admin.get("/v1/project", headers={"Accept": accept})
        assert refused.status_code == 406
        assert refused.headers["content-type"] == "application/json"
        assert "application/json" in refused.json()["errorMessage"]

    @pytest.mark.parametrize(
        "accept",
        [
            "application/json",
            "*/*",
            "application/*",
            "text/html, */*;q=0.1",
            "",
            "application/problem+json",
        ],
    )
    def test_json_or_anything_is_fine(self, admin: httpx.Client, accept: str) -> None:
        assert admin.get("/v1/project", headers={"Accept": accept}).status_code == 200


def test_a_deleted_attachments_link_is_gone(admin: httpx.Client) -> None:
    code = make_project(admin)
    uploaded = admin.post(
        f"/v1/attachment/{code}", files={"file[]": ("gone.txt", b"gone", "text/plain")}
    ).json()["result"][0]
    assert httpx.get(uploaded["url"]).status_code == 200
    assert admin.delete(f"/v1/attachment/{uploaded['hash']}").status_code == 200
    gone = httpx.get(uploaded["url"])
    assert gone.status_code == 410
    assert gone.json()["status"] is False
    assert "deleted" in gone.json()["errorMessage"]
