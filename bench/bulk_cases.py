"""Benchmark: creating cases with nested steps through `POST /v1/case/{code}/bulk`.

Starts a real server on a fresh SQLite database (or TESTAMENT_DATABASE_URL), then times bulk
requests of cases that each carry a tree of steps. The baseline, measured in the same run, is
the same number of cases without steps, so the ratio shows what writing the steps costs.

    .venv/bin/python bench/bulk_cases.py --requests 20 --batch 50 --width 4
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import start_server


def step_tree(width: int) -> list[dict[str, Any]]:
    """`width` steps, each with `width - 1` children with one child each (three levels)."""
    return [
        {
            "action": f"Step {a}",
            "expected_result": "Shown",
            "steps": [
                {"action": f"Step {a}.{b}", "steps": [{"action": f"Step {a}.{b}.1"}]}
                for b in range(1, width)
            ],
        }
        for a in range(1, width + 1)
    ]


def timed_bulk(
    client: httpx.Client, code: str, requests: int, batch: int, steps: list[dict[str, Any]]
) -> list[float]:
    samples = []
    for request in range(requests):
        cases = [
            {"title": f"Case {request}.{n}", "tags": ["bench"], "steps": steps}
            for n in range(batch)
        ]
        started = time.perf_counter()
        client.post(f"/v1/case/{code}/bulk", json={"cases": cases}).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name: str, samples: list[float], baseline: float | None) -> float:
    p50 = statistics.median(samples)
    ratio = f"  x{p50 / baseline:.1f} baseline" if baseline else ""
    print(f"{name:<44} p50 {p50:8.1f} ms  max {max(samples):8.1f} ms{ratio}", flush=True)
    return p50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--batch", type=int, default=50, help="cases per bulk request")
    parser.add_argument("--width", type=int, default=4, help="steps per case: w + 2w(w-1)")
    args = parser.parse_args()
    steps = step_tree(args.width)
    database_url = os.environ.get("TESTAMENT_DATABASE_URL")
    backend = "postgresql" if database_url else "sqlite"

    with tempfile.TemporaryDirectory() as workdir:
        server = start_server(backend, database_url, Path(workdir))
        try:
            client = httpx.Client(
                base_url=server.url, headers={"Token": server.tokens["admin"]}, timeout=300
            )
            code = "BENCH"
            client.post("/v1/project", json={"title": "Bench", "code": code}).raise_for_status()
            timed_bulk(client, code, 2, args.batch, steps)  # warm up
            steps_count = args.width + 2 * args.width * (args.width - 1)
            base = report(
                f"baseline: {args.batch} cases, no steps",
                timed_bulk(client, code, args.requests, args.batch, []),
                None,
            )
            report(
                f"{args.batch} cases x {steps_count} nested steps",
                timed_bulk(client, code, args.requests, args.batch, steps),
                base,
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
