"""A big JUnit report keeps the uploader's memory flat: the file is read streaming, one test at
a time, and results go out in bounded batches.

The uploader runs in a subprocess whose peak RSS (`getrusage(RUSAGE_CHILDREN)`, read by a small
wrapper process) is compared with that of the same upload of a tiny report: the difference is
what the report's size costs, and it must stay a small fraction of the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.client.upload_kit import make_cases, upload_env
from tests.factories import make_project
from tests.live import LiveServer

MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    "returncode": done.returncode,
    "stdout": done.stdout,
    "stderr": done.stderr,
}))
"""
OUTPUT_LINE = "x" * 99 + "\n"


def write_report(path: Path, code: str, numbers: list[int], tests: int) -> int:
    """`tests` test cases with 15 KB of stdout and of stderr each; answers the file's size."""
    output = OUTPUT_LINE * 150
    with path.open("w", encoding="utf-8") as report:
        report.write('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n')
        report.write('<testsuite name="big" timestamp="2026-03-01T10:00:00">\n')
        for index in range(tests):
            number = numbers[index % len(numbers)]
            report.write(
                f'<testcase classname="big.Suite{index % 7}" name="test_{index}_{code}_{number}" '
                f'time="0.01"><system-out>{output}</system-out><system-err>{output}</system-err>'
                "</testcase>\n"
            )
        report.write("</testsuite>\n</testsuites>\n")
    return path.stat().st_size


def measured_upload(env: dict[str, str], cwd: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "testament", "upload", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measured: dict[str, Any] = json.loads(done.stdout)
    assert measured["returncode"] == 0, measured["stderr"]
    measured["summary"] = json.loads(measured["stdout"])
    return measured


def test_a_big_report_keeps_memory_flat(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 5)
    size = write_report(tmp_path / "big.xml", code, numbers, tests=2000)
    write_report(tmp_path / "tiny.xml", code, numbers, tests=5)
    assert size > 55 * 1024 * 1024
    env = upload_env(tmp_path, server)
    common = ["junit", "-p", code, "--output", "json"]
    tiny = measured_upload(env, tmp_path, *common, "--run-title", "tiny", "tiny.xml")
    big = measured_upload(env, tmp_path, *common, "--run-title", "big", "big.xml")
    assert big["summary"]["results"]["delivered"] == 2000
    growth = big["peak_rss"] - tiny["peak_rss"]
    assert growth < size / 4, (
        f"a {size / 2**20:.0f} MiB report raised the peak RSS by {growth / 2**20:.1f} MiB "
        f"({tiny['peak_rss'] / 2**20:.0f} -> {big['peak_rss'] / 2**20:.0f} MiB)"
    )
    assert big["peak_rss"] < size
    listed = api.get(
        f"/v1/result/{code}", params={"run": big["summary"]["run_id"], "limit": 2}
    ).json()["result"]
    assert listed["filtered"] == 2000
    assert all(r["comment"].count(OUTPUT_LINE.strip()) == 300 for r in listed["entities"])
