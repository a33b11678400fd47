"""Helpers for the `testament upload` tests: run the command, make cases, read a run back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.live import LiveServer

# Step statuses as v1 reads them back.
STEP_PASSED, STEP_FAILED, STEP_BLOCKED, STEP_SKIPPED = 1, 2, 3, 5


def upload_env(home: Path, server: LiveServer, role: str = "admin", **extra: str) -> dict[str, str]:
    """A clean environment: the server's URL, a token, short retry waits; no user config."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PYTHONUTF8": "1",
        "TESTAMENT_URL": server.url,
        "TESTAMENT_TOKEN": server.tokens[role],
        "TESTAMENT_CLIENT_BACKOFF_BASE": "0.01",
    }
    env.update(extra)
    return env


def upload(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`testament upload *args`, as a CI job runs it."""
    return subprocess.run(
        [sys.executable, "-m", "testament", "upload", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def summary(done: subprocess.CompletedProcess[str], exit_code: int = 0) -> dict[str, Any]:
    """The JSON summary an `--output json` upload printed (the only thing on stdout)."""
    assert done.returncode == exit_code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """stderr of an upload that stopped with exit 1, no traceback and nothing on stdout."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    return done.stderr


def make_cases(api: httpx.Client, code: str, count: int, prefix: str = "Case") -> list[int]:
    ids = []
    for index in range(count):
        made = api.post(f"/v1/case/{code}", json={"title": f"{prefix} {index + 1}"})
        assert made.status_code == 200, made.text
        ids.append(int(made.json()["result"]["id"]))
    return ids


def pages(api: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = api.get(path, params={**params, "limit": 100, "offset": len(found)})
        assert page.status_code == 200, page.text
        entities = page.json()["result"]["entities"]
        found.extend(entities)
        if len(entities) < 100:
            return found


def results_of(api: httpx.Client, code: str, run_id: int) -> list[dict[str, Any]]:
    return pages(api, f"/v1/result/{code}", run=str(run_id))


def by_case(results: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for result in results:
        grouped.setdefault(int(result.get("case_id") or 0), []).append(result)
    return grouped


def runs_titled(api: httpx.Client, code: str, title: str) -> list[dict[str, Any]]:
    return [run for run in pages(api, f"/v1/run/{code}", search=title) if run["title"] == title]


def cases_of(api: httpx.Client, code: str) -> list[dict[str, Any]]:
    return pages(api, f"/v1/case/{code}")


def suite_paths(api: httpx.Client, code: str) -> dict[int, str]:
    """Every suite's id and its path from the root ("a / b / c")."""
    suites = {s["id"]: s for s in pages(api, f"/v1/suite/{code}")}

    def path(suite_id: int) -> str:
        suite = suites[suite_id]
        parent = suite.get("parent_id")
        return f"{path(parent)} / {suite['title']}" if parent else str(suite["title"])

    return {suite_id: path(suite_id) for suite_id in suites}


def run_producer(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A real test runner writing its report (it may exit non-zero: the sample tests fail)."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "PYTHONUTF8": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        args,
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert "INTERNALERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def pytest_args(*extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
