"""A server that does not answer: `testament api` gives up within a couple of seconds, saying
where it tried; `testament upload` waits longer, long enough for a server that is restarting."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.client.api_cli import client_env, run_api
from tests.client.upload_kit import make_cases, results_of, summary, upload, upload_env
from tests.factories import make_project
from tests.live import LiveServer, free_port

HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LateForwarder:
    """Refuses connections on `port` for `delay` seconds (a server restarting), then forwards
    every request to `target`."""

    def __init__(self, target: str, port: int, delay: float) -> None:
        self.upstream = httpx.Client(base_url=target, timeout=60)
        self.port = port
        self.server: ThreadingHTTPServer | None = None
        self.timer = threading.Timer(delay, self._listen)
        forwarder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def do_GET(self) -> None:
                forwarder.forward(self)

            def do_POST(self) -> None:
                forwarder.forward(self)

            def do_PATCH(self) -> None:
                forwarder.forward(self)

        self.handler = Handler

    def _listen(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def forward(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        answer = self.upstream.request(request.command, request.path, content=body, headers=headers)
        request.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in HOP_HEADERS and name.lower() != "content-encoding":
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(answer.content)))
        request.end_headers()
        request.wfile.write(answer.content)

    def __enter__(self) -> LateForwarder:
        self.timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.timer.cancel()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        self.upstream.close()


def test_api_against_a_closed_port_gives_up_quickly_and_says_where(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    env = client_env(tmp_path, TESTAMENT_URL=url, TESTAMENT_TOKEN="any")
    started = time.monotonic()
    done = run_api("projects", "list", env=env)
    took = time.monotonic() - started
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert took < 5, f"took {took:.1f}s: {done.stderr}"
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert f"cannot reach the server at {url}" in done.stderr, done.stderr
    assert "gave up after" in done.stderr, done.stderr


def test_upload_waits_for_a_server_that_is_restarting(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    [number] = make_cases(api, code, 1)
    (tmp_path / "r.xml").write_text(
        f'<testsuite name="s"><testcase classname="s.T" name="test_{code}_{number}"/></testsuite>'
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The default waits between retries, as a CI job has them.
    env = upload_env(tmp_path, server, TESTAMENT_URL=url, TESTAMENT_CLIENT_BACKOFF_BASE="")
    args = ["-p", code, "--run-title", "Back", "--output", "json", "r.xml"]
    # Back 3 s after the command starts: longer than `testament api` waits for a connection.
    with LateForwarder(server.url, port, delay=3.0):
        done = upload("junit", *args, env=env, cwd=tmp_path)
    report = summary(done)
    assert "retrying in" in done.stderr
    assert [r["case_id"] for r in results_of(api, code, report["run_id"])] == [number]
