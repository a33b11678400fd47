"""Running `testament import cases` / `export cases` for the tests, and reading back over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.live import LiveServer, run_testament

HEADER = "id,title,suite,preconditions,steps_actions,steps_result,steps_data,severity,priority,type,tags\n"


def client_env(server: LiveServer, home: Path, role: str = "admin") -> dict[str, str]:
    """The server's URL and a token, and no client settings from this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TESTAMENT_", "QASE_TESTOPS_"))}
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "TESTAMENT_URL": server.url,
            "TESTAMENT_TOKEN": server.tokens[role],
        }
    )
    return env


def import_cases(
    env: dict[str, str], code: str, file: Path | str, *extra: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_testament(
        "import", "cases", "--format", "csv", str(file), "--project", code, *extra,
        env=env, stdin=stdin,
    )  # fmt: skip


def summary(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def cases_of(api: httpx.Client, code: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = api.get(f"/v1/case/{code}", params={"limit": 100, "offset": len(found)})
        assert page.status_code == 200, page.text
        entities = page.json()["result"]["entities"]
        found += entities
        if len(entities) < 100:
            return found


def suite_paths(api: httpx.Client, code: str) -> dict[int | None, str]:
    suites = api.get(f"/v1/suite/{code}", params={"limit": 100}).json()["result"]["entities"]
    by_id = {s["id"]: s for s in suites}

    def path(suite_id: int) -> str:
        suite = by_id[suite_id]
        parent = suite["parent_id"]
        return f"{path(parent)} > {suite['title']}" if parent else str(suite["title"])

    return {None: "", **{suite_id: path(suite_id) for suite_id in by_id}}


def steps_tree(steps: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (s["action"], s["expected_result"] or None, s["data"] or None, steps_tree(s["steps"]))
        for s in steps
    ]
