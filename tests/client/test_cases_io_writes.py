"""Case import against a server of its own: a small bulk limit (413, then smaller batches) and
maintenance mode (503 with Retry-After: the importer waits, reads the project again, and
writes what is missing, never twice)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.client.cases_cli import cases_of, client_env, import_cases, suite_paths, summary
from tests.conftest import make_client
from tests.factories import make_project
from tests.live import LiveServer, poll_until, run_testament, start_server

BULK_MAX = 40


@pytest.fixture(scope="module")
def small_server(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    database_url_for: Callable[[str], str | None],
) -> Iterator[LiveServer]:
    live = start_server(
        backend,
        database_url_for(backend),
        tmp_path_factory.mktemp(f"cases-io-{backend}"),
        # The switch is reread every 0.1 s (2 s by default): maintenance is seen at once.
        settings={
            "TESTAMENT_BULK_MAX_ITEMS": str(BULK_MAX),
            "TESTAMENT_MAINTENANCE_REFRESH_SECONDS": "0.1",
        },
    )
    yield live
    live.stop()


def write_rows(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "suite", "description", "steps_actions", "steps_result", "tags"])
        for n in range(count):
            writer.writerow(
                [
                    f"Case {n} «ü», with a comma",
                    f"Area {n % 5} / Part {n % 3}",
                    f'Line one\nLine "two" of {n}',
                    "1. Open\n2. Check",
                    "2. Checked",
                    "bulk, load",
                ]
            )


def test_a_bulk_larger_than_the_server_takes_is_split(
    small_server: LiveServer, tmp_path: Path
) -> None:
    env = client_env(small_server, tmp_path)
    with make_client(small_server, small_server.tokens["admin"]) as api:
        code = make_project(api)
        file = tmp_path / "many.csv"
        write_rows(file, 300)
        result = summary(import_cases(env, code, file, "--output", "json"))
        assert (result["created"], result["suites_created"]) == (300, 20)
        cases = cases_of(api, code)
        assert len(cases) == 300
        assert len({case["title"] for case in cases}) == 300
        assert sorted(c["id"] for c in result["cases"]) == sorted(c["id"] for c in cases)
        again = summary(import_cases(env, code, file, "--output", "json"))
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 300)


def maintenance(server: LiveServer, *args: str) -> None:
    done = run_testament("maintenance", *args, env=server.env)
    assert done.returncode == 0, done.stderr


def test_writes_refused_for_a_while_are_retried_without_duplicates(
    small_server: LiveServer, tmp_path: Path
) -> None:
    env = client_env(small_server, tmp_path)
    with make_client(small_server, small_server.tokens["admin"]) as api:
        code = make_project(api)
        file = tmp_path / "cases.csv"
        write_rows(file, 90)
        maintenance(small_server, "on", "--retry-after", "3")
        # A JSON array is refused (422) after the maintenance check (503): the probe writes nothing.
        poll_until(
            lambda: api.post(f"/v1/case/{code}", json=[]).status_code == 503, "maintenance seen"
        )
        try:
            running = subprocess.Popen(
                [sys.executable, "-m", "testament", "import", "cases", str(file),
                 "--project", code, "--output", "json"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert running.stderr is not None
            said = []
            for line in running.stderr:
                said.append(line)
                if line.startswith("retrying in 3.0s") and "HTTP 503" in line:
                    break
        finally:
            maintenance(small_server, "off")
        out, rest = running.communicate(timeout=120)
        assert running.returncode == 0, "".join(said) + rest
        assert "reading the project again first" in said[-1]
        result = json.loads(out)
        assert (result["created"], result["suites_created"]) == (90, 20)
        cases = cases_of(api, code)
        assert len(cases) == 90 and len({case["title"] for case in cases}) == 90
        assert len(suite_paths(api, code)) == 21  # 20 suites and the root, none twice
