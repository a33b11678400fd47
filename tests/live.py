"""A real Testament server in a subprocess, on a free port, with a token per role."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

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

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_server(backend: str, database_url: str | None, workdir: Path, *extra: str) -> LiveServer:
    env = {
        **os.environ,
        "TESTAMENT_DATA_DIR": str(workdir / "data"),
        "TESTAMENT_LOG_LEVEL": "warning",
    }
    env.pop("TESTAMENT_DATABASE_URL", None)
    if database_url:
        env["TESTAMENT_DATABASE_URL"] = database_url
    port = free_port()
    server = LiveServer(backend=backend, url=f"http://127.0.0.1:{port}", env=env)
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


def wait_until_up(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            log = server.log_path.read_text() if server.log_path else ""
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{log}")
        try:
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not come up in time")
