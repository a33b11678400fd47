"""A real Testament server in a subprocess, on a free port, with a token per role."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from testament.db import Database
from testament.settings import Settings

ROLES = ("owner", "admin", "member", "viewer")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_testament(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `testament` command line."""
    return subprocess.run(
        [sys.executable, "-m", "testament", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


@dataclass
class LiveServer:
    backend: str
    url: str
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    ca: Path | None = None  # the CA to trust when the server speaks HTTPS
    _database: Database | None = field(default=None, repr=False, compare=False)

    def database(self) -> Database:
        """The server's own database, for tests that must look under the API: one engine per
        server in this test process (disposing it only closes its pooled connections)."""
        if self._database is None:
            self._database = Database(
                Settings(
                    data_dir=Path(self.env["TESTAMENT_DATA_DIR"]),
                    database_url=self.env.get("TESTAMENT_DATABASE_URL"),
                )
            )
        return self._database

    def stop(self) -> None:
        if self._database is not None:
            self._database.engine.dispose()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_server(
    backend: str,
    database_url: str | None,
    workdir: Path,
    *extra: str,
    tls: tuple[Path, Path, Path] | None = None,
    settings: dict[str, str] | None = None,
) -> LiveServer:
    """A server with a token per role; with `tls` (certificate, key, CA) it serves HTTPS.

    `settings` are extra `TESTAMENT_*` environment variables, e.g. a small rate limit.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TESTAMENT_DATA_DIR": str(workdir / "data"),
        "TESTAMENT_LOG_LEVEL": "warning",
        # The suite's servers are shared by many tests; the rate-limit tests start their own.
        "TESTAMENT_RATE_LIMIT_PER_MINUTE": "1000000",
    }
    env.pop("TESTAMENT_DATABASE_URL", None)
    env.update(settings or {})
    if database_url:
        env["TESTAMENT_DATABASE_URL"] = database_url
    port = free_port()
    scheme = "https" if tls else "http"
    server = LiveServer(
        backend=backend, url=f"{scheme}://127.0.0.1:{port}", env=env, ca=tls[2] if tls else None
    )
    if tls:
        extra = (*extra, "--tls-cert", str(tls[0]), "--tls-key", str(tls[1]))
    migrated = run_testament("db", "upgrade", env=env)
    assert migrated.returncode == 0, migrated.stderr
    for role in ROLES:
        done = run_testament(
            "user",
            "create",
            "--email",
            f"{role}@example.com",
            "--name",
            f"{role.title()} User",
            "--role",
            role,
            "--token",
            env=env,
        )
        assert done.returncode == 0, done.stderr
        server.tokens[role] = done.stdout.strip()
    server.log_path = workdir / "server.log"
    log = server.log_path.open("wb")
    server.process = subprocess.Popen(
        [sys.executable, "-m", "testament", "serve", "--port", str(port), *extra],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_until_up(server)
    return server


def start_instance(first: LiveServer, workdir: Path) -> LiveServer:
    """Another app instance of `first`'s deployment: same database, settings and tokens."""
    port = free_port()
    scheme = first.url.split(":", 1)[0]
    instance = LiveServer(
        backend=first.backend,
        url=f"{scheme}://127.0.0.1:{port}",
        env=dict(first.env),
        tokens=dict(first.tokens),
        ca=first.ca,
        log_path=workdir / "server.log",
    )
    assert instance.log_path is not None
    instance.process = subprocess.Popen(
        [sys.executable, "-m", "testament", "serve", "--port", str(port)],
        env=instance.env,
        stdout=instance.log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    wait_until_up(instance)
    return instance


def make_tls_files(directory: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for 127.0.0.1/localhost: (certificate, key, CA) PEM files."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    paths = directory / "cert.pem", directory / "key.pem", directory / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(paths[0]))
    cert.private_key_pem.write_to_path(str(paths[1]))
    ca.cert_pem.write_to_path(str(paths[2]))
    return paths


def poll_until(check: Callable[[], bool], what: str, timeout: float = 15) -> None:
    """Return as soon as `check()` holds; fail naming `what` when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {timeout} s")
        time.sleep(0.05)


def wait_past_the_second_of(stamp: str) -> None:
    """Return once the wall clock (the servers' too: same machine) is past the whole second an ISO
    `stamp` names, so what is stamped from now on reads later on the wire, which has whole seconds.
    """
    wait = datetime.fromisoformat(stamp).timestamp() + 1 - time.time()
    assert wait <= 2, f"{stamp} is in the future of this clock"
    if wait > 0:
        time.sleep(wait)


def wait_until_up(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            log = server.log_path.read_text() if server.log_path else ""
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{log}")
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(server.ca)) if server.ca else True
        )
        try:
            if httpx.get(f"{server.url}/health", timeout=1, verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not come up in time")
