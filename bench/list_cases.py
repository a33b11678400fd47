"""Benchmark: list endpoints with many cases in a project (target: p99 < 30 ms at 100,000).

Starts a real server on a fresh SQLite database (or TESTAMENT_DATABASE_URL), fills one project
through the bulk API, then times `GET /v1/case/{code}` pages, filtered lists and single gets.
The baseline, measured in the same run, is `GET /v1/project/{code}` (auth, one small query), so
the ratio shows what the list itself costs.

    .venv/bin/python bench/list_cases.py --cases 100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import start_server

SEVERITIES = ["blocker", "critical", "major", "normal", "minor", "trivial"]


def fill(client: httpx.Client, code: str, total: int, batch: int) -> float:
    started = time.perf_counter()
    for first in range(0, total, batch):
        cases = [
            {
                "title": f"Case {n} checks the checkout flow",
                "severity": SEVERITIES[n % len(SEVERITIES)],
                "tags": [f"area-{n % 20}"],
                "steps": [{"action": "Open", "expected_result": "Shown"}, {"action": "Pay"}],
            }
            for n in range(first, min(first + batch, total))
        ]
        response = client.post(f"/v1/case/{code}/bulk", json={"cases": cases})
        response.raise_for_status()
    return time.perf_counter() - started


def timed(call: Callable[[], httpx.Response], rounds: int) -> list[float]:
    for _ in range(5):
        call().raise_for_status()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call().raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float], baseline_p50: float | None) -> float:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    ratio = f"  x{p50 / baseline_p50:.1f} baseline" if baseline_p50 else ""
    print(f"{name:<44} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms{ratio}", flush=True)
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        server = start_server("sqlite", None, Path(workdir))
        try:
            client = httpx.Client(
                base_url=server.url, headers={"Token": server.tokens["admin"]}, timeout=120
            )
            code = "BENCH"
            client.post("/v1/project", json={"title": "Bench", "code": code}).raise_for_status()
            seconds = fill(client, code, args.cases, args.batch)
            print(f"filled {args.cases} cases in {seconds:.1f} s ({args.cases / seconds:.0f}/s)")
            base = report(
                "baseline GET /v1/project/{code}",
                timed(lambda: client.get(f"/v1/project/{code}"), args.rounds),
                None,
            )
            runs = {
                "GET /v1/case/{code}?limit=10": lambda: client.get(f"/v1/case/{code}"),
                "GET /v1/case/{code}?limit=100": lambda: client.get(
                    f"/v1/case/{code}", params={"limit": 100}
                ),
                "GET /v1/case/{code}?limit=100&offset=90000": lambda: client.get(
                    f"/v1/case/{code}",
                    params={"limit": 100, "offset": min(90000, args.cases - 100)},
                ),
                "GET /v1/case/{code}?severity=critical": lambda: client.get(
                    f"/v1/case/{code}", params={"severity": "critical", "limit": 100}
                ),
                "GET /v1/case/{code}?search=Case 4242": lambda: client.get(
                    f"/v1/case/{code}", params={"search": "Case 4242", "limit": 100}
                ),
                "GET /v1/case/{code}/{id}": lambda: client.get(
                    f"/v1/case/{code}/{args.cases // 2}"
                ),
            }
            for name, call in runs.items():
                report(name, timed(call, args.rounds), base)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
