"""`testament serve` as an operator starts it: first start, HTTPS, several workers, the README command."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.configuration import Configuration
from qase.api_client_v1.models.project_create import ProjectCreate

from tests.factories import unique_code
from tests.live import free_port, make_tls_files
from tests.qase_client import ValidatingApiClient

ROOT = Path(__file__).resolve().parents[1]


class Served:
    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.url = ""
        self.token = ""
        deadline = time.monotonic() + 120
        assert self.process.stdout is not None
        while time.monotonic() < deadline and not (self.url and self.token):
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"serve exited with {self.process.wait()}")
            if line.startswith("Testament is serving at "):
                self.url = line.split()[4]
            if line.startswith("Admin token: "):
                self.token = line.split()[2]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _wait_ready(url: str, verify: ssl.SSLContext | bool = True) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", verify=verify, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture
def tls(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    yield make_tls_files(tmp_path)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTAMENT_")}
    env["TESTAMENT_DATA_DIR"] = str(tmp_path / "data")
    env["TESTAMENT_LOG_LEVEL"] = "warning"
    return env


def test_first_start_over_https_with_two_workers(
    tmp_path: Path, tls: tuple[Path, Path, Path]
) -> None:
    cert, key, ca = tls
    port = free_port()
    served = Served(
        [
            sys.executable,
            "-m",
            "testament",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--tls-cert",
            str(cert),
            "--tls-key",
            str(key),
        ],
        _env(tmp_path),
        tmp_path,
    )
    try:
        assert served.url == f"https://127.0.0.1:{port}"
        assert served.token.startswith("tmt_")
        _wait_ready(served.url, verify=ssl.create_default_context(cafile=str(ca)))

        configuration = Configuration(host=f"{served.url}/v1", ssl_ca_cert=str(ca))
        configuration.api_key["TokenAuth"] = served.token
        projects = ProjectsApi(ValidatingApiClient(configuration))

        # Both workers write to one SQLite file at once: every create must land, none may fail.
        codes = [unique_code() for _ in range(24)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(
                pool.map(lambda c: projects.create_project(ProjectCreate(title=c, code=c)), codes)
            )
        assert all(r.status for r in results)
        listed = projects.get_projects(limit=100)
        assert {p.code for p in listed.result.entities} == set(codes)

        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
    finally:
        served.stop()


def test_a_second_start_prints_no_token_unless_asked(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = Served(
        [sys.executable, "-m", "testament", "serve", "--port", str(free_port())], env, tmp_path
    )
    first.stop()
    port = free_port()
    again = subprocess.Popen(
        [sys.executable, "-m", "testament", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}")
    finally:
        again.terminate()
        out, _ = again.communicate(timeout=15)
    assert "Testament is serving at" in out and "Admin token" not in out

    minted = Served(
        [sys.executable, "-m", "testament", "serve", "--port", str(free_port()), "--root-token"],
        env,
        tmp_path,
    )
    try:
        _wait_ready(minted.url)
        response = httpx.get(f"{minted.url}/v1/user", headers={"Token": minted.token})
        assert response.status_code == 200
        assert response.json()["result"]["entities"][0]["email"] == "admin@localhost"
        # The first start's token still works: minting a new one revokes nothing.
        assert httpx.get(f"{minted.url}/v1/user", headers={"Token": first.token}).status_code == 200
    finally:
        minted.stop()


def test_tls_needs_both_files(tmp_path: Path, tls: tuple[Path, Path, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "testament", "serve", "--tls-cert", str(tls[0])],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and "--tls-key" in done.stderr


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_the_readme_serve_command(tmp_path: Path) -> None:
    """`scripts/serve` from the README: sets up (already done here) and serves with a token."""
    served = Served(
        [
            str(ROOT / "scripts" / "serve"),
            "--port",
            str(free_port()),
            "--data-dir",
            str(tmp_path / "d"),
        ],
        _env(tmp_path),
        ROOT,
    )
    try:
        _wait_ready(served.url)
        code = unique_code()
        created = httpx.post(
            f"{served.url}/v1/project",
            headers={"Token": served.token},
            json={"title": "Readme", "code": code},
        )
        assert created.status_code == 200
    finally:
        served.stop()
