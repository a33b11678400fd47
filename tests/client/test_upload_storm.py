"""A retry storm: a real proxy between the client and the live server answers about a third of
the requests with 429 (Retry-After 0 or 1) or 503, some of them after forwarding the request,
so the server stored what the client saw fail. After the upload the run holds exactly one
result per test: nothing lost, nothing stored twice."""

from __future__ import annotations

import hashlib
import random
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.client.upload_kit import (
    by_case,
    make_cases,
    results_of,
    runs_titled,
    summary,
    upload,
    upload_env,
)
from tests.factories import make_project
from tests.live import LiveServer

# Retried writes rely on unique constraints and savepoints, which differ by dialect.
pytestmark = pytest.mark.both_backends

HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})
# The same request (method, path, body) is never failed more than this many times in a row, so
# the client's six attempts always get through: the test is about duplicates, not give-ups.
MOST_FAILURES_PER_REQUEST = 3


class StormyProxy:
    """Forwards to `target`; fails a share of the requests, before or after forwarding."""

    def __init__(
        self, target: str, seed: int, failure_share: float = 0.3, refuse: tuple[str, ...] = ()
    ) -> None:
        self.target = target
        self.refuse = refuse  # paths answered 503 every time
        self.random = random.Random(seed)
        self.failure_share = failure_share
        self.lock = threading.Lock()
        self.failures: Counter[str] = Counter()  # per request fingerprint
        self.seen: Counter[str] = Counter()  # what the proxy did: "429", "503 before", ...
        self.upstream = httpx.Client(base_url=target, timeout=60)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return

            def do_GET(self) -> None:
                proxy.handle(self)

            def do_POST(self) -> None:
                proxy.handle(self)

            def do_DELETE(self) -> None:
                proxy.handle(self)

            def do_PATCH(self) -> None:
                proxy.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StormyProxy:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.upstream.close()

    def _fate(self, fingerprint: str, path: str) -> str:
        with self.lock:
            if self.failures[fingerprint] >= MOST_FAILURES_PER_REQUEST:
                return "forward"
            draw = self.random.random()
            if draw >= self.failure_share:
                self.failures[fingerprint] = 0
                return "forward"
            self.failures[fingerprint] += 1
            share = draw / self.failure_share
            fate = "429" if share < 0.4 else "503 before" if share < 0.7 else "503 after"
            self.seen[fate] += 1
            if "/results" in path:
                self.seen[f"{fate}, results"] += 1
            return fate

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        fingerprint = hashlib.sha256(
            request.command.encode() + request.path.encode() + body
        ).hexdigest()
        fate = (
            "503 before"
            if any(p in request.path for p in self.refuse)
            else self._fate(fingerprint, request.path)
        )
        if fate == "429":
            wait = "1" if self.random.random() < 0.1 else "0"
            self._answer(
                request,
                429,
                b'{"status": false, "errorMessage": "slow down"}',
                {"Retry-After": wait},
            )
            return
        if fate == "503 before":
            self._answer(request, 503, b"upstream unavailable", {})
            return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        answer = self.upstream.request(request.command, request.path, content=body, headers=headers)
        if fate == "503 after":  # the server did the work; the client never hears of it
            self._answer(request, 503, b"gateway lost the answer", {})
            return
        self._answer(
            request,
            answer.status_code,
            answer.content,
            {
                k: v
                for k, v in answer.headers.items()
                if k.lower() not in HOP_HEADERS and k.lower() != "content-encoding"
            },
        )

    @staticmethod
    def _answer(
        request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
    ) -> None:
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


@pytest.fixture
def storm(server: LiveServer) -> Iterator[StormyProxy]:
    with StormyProxy(server.url, seed=20261202) as proxy:
        yield proxy


def test_a_retry_storm_loses_and_duplicates_nothing(
    server: LiveServer, api: httpx.Client, storm: StormyProxy, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 60)  # more than the client checks one by one
    (tmp_path / "evidence.txt").write_text("screenshot stand-in")
    cases = []
    for index in range(240):
        number = numbers[index % len(numbers)]
        extra = "<system-out>[[ATTACHMENT|evidence.txt]]</system-out>" if index % 40 == 0 else ""
        failure = '<failure message="nope"/>' if index % 7 == 0 else ""
        cases.append(
            f'<testcase classname="storm.T{index % 5}" name="test_{index}_{code}_{number}">{failure}{extra}</testcase>'
        )
    unmatched = "".join(
        f'<testcase classname="storm.New" name="brand new {n}"/>' for n in range(10)
    )
    (tmp_path / "storm.xml").write_text(
        f'<testsuite name="storm">{"".join(cases)}{unmatched}</testsuite>'
    )
    env = upload_env(tmp_path, server, TESTAMENT_URL=storm.url)
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "Stormy night",
            "--batch-size",
            "15",
            "--create-cases",
            "--complete",
            "--output",
            "json",
            "storm.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    # The storm hit result batches every way: refused, and lost after the server stored them.
    for fate in ("429", "503 before", "503 after"):
        assert storm.seen[f"{fate}, results"], storm.seen
    assert done["results"]["delivered"] == 250 and done["results"]["failed"] == 0
    assert done["completed"] is True
    # One run with this title, whatever a lost answer made the client try again.
    assert [run["id"] for run in runs_titled(api, code, "Stormy night")] == [done["run_id"]]
    results = results_of(api, code, done["run_id"])
    assert len(results) == 250
    per_case = by_case(results)
    assert {number: len(per_case[number]) for number in numbers} == {
        number: 4 for number in numbers
    }
    made = [
        case
        for case in api.get(f"/v1/case/{code}", params={"limit": 100}).json()["result"]["entities"]
        if case["title"].startswith("brand new")
    ]
    assert sorted(case["title"] for case in made) == sorted(f"brand new {n}" for n in range(10))
    assert sum(len(per_case[case["id"]]) for case in made) == 10
    failed = [r for r in results if r["status"] == "failed"]
    assert len(failed) == len([i for i in range(240) if i % 7 == 0])
    assert sum(1 for r in results if r["attachments"]) == 6


def test_a_server_that_keeps_failing_is_reported_and_the_run_left_open(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 3)
    (tmp_path / "r.xml").write_text(
        "<testsuite>"
        + "".join(f'<testcase name="t {code}-{n}"/>' for n in numbers)
        + "</testsuite>"
    )
    # Every request for results is answered 503; the rest goes through.
    with StormyProxy(server.url, seed=1, failure_share=0.0, refuse=("/v2/",)) as proxy:
        done = upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "down",
            "--batch-size",
            "1",
            "--complete",
            "--output",
            "json",
            "r.xml",
            env=upload_env(tmp_path, server, TESTAMENT_URL=proxy.url),
            cwd=tmp_path,
        )
    data = summary(done, exit_code=1)
    assert data["results"]["delivered"] == 0 and data["results"]["failed"] == 3
    assert data["completed"] is False
    assert "HTTP 503" in data["stopped"]
    assert "3 results were not delivered; the run was not completed" in done.stderr
    assert "Run the same command again" in done.stderr
    (run,) = runs_titled(api, code, "down")
    assert run["status_text"] == "in_progress"
    assert results_of(api, code, run["id"]) == []
