"""Request heads are bounded in size and in time, over raw sockets against a real server.

More than `TESTAMENT_MAX_HEADER_BYTES` of request line and headers is answered 431 and the
connection closed (2 MiB of headers used to be answered 200); a connection that has not sent a
whole head within `TESTAMENT_HEADER_TIMEOUT_SECONDS` is dropped (one that stopped mid-head used to
stay open for good). Keep-alive, and bodies slower than the deadline, still work.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live import LiveServer, start_server

HEADER_TIMEOUT = 1.5
MAX_HEADER_BYTES = 65536
# Long enough for any honest wait here; a connection still open past it was never dropped.
PATIENCE = HEADER_TIMEOUT + 6


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(
        "sqlite",
        None,
        tmp_path_factory.mktemp("headers"),
        settings={"TESTAMENT_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT)},
    )
    yield server
    server.stop()


def connect(server: LiveServer) -> socket.socket:
    address = urlsplit(server.url)
    assert address.hostname and address.port
    return socket.create_connection((address.hostname, address.port), timeout=PATIENCE)


def head(server: LiveServer, *headers: str, path: str = "/health") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {urlsplit(server.url).netloc}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_response(sock: socket.socket) -> bytes:
    """One response (the server sends `Content-Length`), or what came before the server closed."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        if not chunk:
            return answer
        answer += chunk
    headers, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in headers.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return headers + b"\r\n\r\n" + body


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed the connection (None if it is still open after them)."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return time.monotonic() - started


def send_all(sock: socket.socket, data: bytes) -> None:
    """Send what the server takes: it may answer and close before reading all of it."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(data)


class TestHeaderSize:
    def test_two_mebibytes_of_headers_are_431(self, guarded: LiveServer) -> None:
        many = [f"X-Filler-{n}: {'a' * 1000}" for n in range(2048)]
        with connect(guarded) as sock:
            send_all(sock, head(guarded, *many))
            answer = read_response(sock)
            assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
            assert b'"status":false' in answer
            assert f"at most {MAX_HEADER_BYTES} bytes".encode() in answer
            assert closed_within(sock, PATIENCE) is not None

    def test_one_huge_header_is_431_before_it_ends(self, guarded: LiveServer) -> None:
        """The server answers once the limit is passed, without waiting for the rest."""
        with connect(guarded) as sock:
            start = head(guarded)[:-2]  # the head, still open for more headers
            send_all(sock, start + b"X-Huge: " + b"a" * (4 * MAX_HEADER_BYTES))
            answer = read_response(sock)
            assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]

    def test_a_long_url_counts_too(self, guarded: LiveServer) -> None:
        with connect(guarded) as sock:
            send_all(sock, head(guarded, path="/health?q=" + "a" * (2 * MAX_HEADER_BYTES)))
            assert read_response(sock).startswith(b"HTTP/1.1 431 ")

    def test_headers_under_the_limit_are_served(self, guarded: LiveServer) -> None:
        some = [f"X-Filler-{n}: {'a' * 1000}" for n in range(50)]
        with connect(guarded) as sock:
            sock.sendall(head(guarded, *some))
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")


class TestHeaderDeadline:
    def test_a_head_that_stops_midway_is_dropped(self, guarded: LiveServer) -> None:
        with connect(guarded) as sock:
            sock.sendall(head(guarded)[:-4])  # no blank line: the head never ends
            waited = closed_within(sock, PATIENCE)
        assert waited is not None, "the connection is still open"
        assert waited >= HEADER_TIMEOUT - 0.5

    def test_a_connection_that_sends_nothing_is_dropped(self, guarded: LiveServer) -> None:
        with connect(guarded) as sock:
            assert closed_within(sock, PATIENCE) is not None

    def test_a_trickled_head_is_dropped_at_the_deadline(self, guarded: LiveServer) -> None:
        """Sending a byte now and then does not push the deadline back."""
        with connect(guarded) as sock:
            started = time.monotonic()
            for byte in head(guarded)[:40]:
                try:
                    sock.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    break
                time.sleep(0.2)
            closed_within(sock, PATIENCE)
            assert time.monotonic() - started < PATIENCE

    def test_blank_lines_between_requests_do_not_keep_a_connection(
        self, guarded: LiveServer
    ) -> None:
        with connect(guarded) as sock:
            started = time.monotonic()
            for _ in range(int(PATIENCE / 0.5)):
                try:
                    sock.sendall(b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    break
                time.sleep(0.5)
            assert time.monotonic() - started < PATIENCE - 0.5, "still open"

    def test_keep_alive_serves_request_after_request(self, guarded: LiveServer) -> None:
        with connect(guarded) as sock:
            for _ in range(3):
                sock.sendall(head(guarded))
                assert read_response(sock).startswith(b"HTTP/1.1 200 ")
                time.sleep(HEADER_TIMEOUT / 2)

    def test_a_body_slower_than_the_deadline_is_read_whole(self, guarded: LiveServer) -> None:
        """The deadline is for the head: a body may take its time (uploads stream)."""
        body = b'{"title": "Slow body", "code": "SLOWBODY"}'
        request = (
            "POST /v1/project HTTP/1.1\r\n"
            f"Host: {urlsplit(guarded.url).netloc}\r\n"
            f"Token: {guarded.tokens['admin']}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        with connect(guarded) as sock:
            sock.sendall(request)
            for piece in (body[:10], body[10:20], body[20:]):
                time.sleep(HEADER_TIMEOUT * 0.6)
                sock.sendall(piece)
            answer = read_response(sock)
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:300]


def test_the_head_limits_are_settings(tmp_path: Path) -> None:
    server = start_server("sqlite", None, tmp_path, settings={"TESTAMENT_MAX_HEADER_BYTES": "8192"})
    try:
        with connect(server) as sock:
            sock.sendall(head(server, f"X-Filler: {'a' * 4000}"))
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        with connect(server) as sock:
            send_all(sock, head(server, f"X-Filler: {'a' * 9000}"))
            assert read_response(sock).startswith(b"HTTP/1.1 431 ")
    finally:
        server.stop()
