"""Benchmark: v2 bulk result ingestion (target: >= 20,000 results/s on SQLite, 2 cores,
200-result batches, 4 concurrent clients).

Starts a real server on a fresh SQLite database, creates the cases the results name (as
reporters do with @qase.id) or lets signatures create them, then posts batches from 4 threads.
Baseline, measured in the same run: inserting the same rows with plain sqlite3 `executemany`
into a table of the same shape, the ceiling any server on this disk can reach.

    .venv/bin/python bench/ingest_results.py --batches 100

Where the time goes (py-spy on the server, 2026-11-23): about a third is SQLite itself
(executemany, commit with WAL checkpoints, lookups) on a results table with seven indexes, two of
them on random keys (the public hash and the client's idempotency id); request handling, body
parsing and building the rows share the rest. Next steps: fewer and time-ordered indexes, rows
built straight from the parsed batch, and checkpoints off the request path.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import start_server


def batch(size: int, cases: int, offset: int) -> dict[str, Any]:
    now = time.time()
    return {
        "results": [
            {
                "id": str(uuid.uuid4()),
                "title": f"test_{(offset + n) % cases}",
                "testops_ids": [(offset + n) % cases + 1],
                "execution": {
                    "status": "passed" if n % 7 else "failed",
                    "start_time": now - 1,
                    "end_time": now,
                    "duration": 1000,
                    "thread": "1-Main",
                },
                "steps": [
                    {"data": {"action": "Open"}, "execution": {"status": "passed", "duration": 5}}
                ],
                "params": {"browser": "chrome"},
                "relations": {"suite": {"data": [{"title": "tests"}, {"title": "test_app.py"}]}},
                "message": None,
            }
            for n in range(size)
        ]
    }


def baseline(rows: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "base.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE results (id INTEGER PRIMARY KEY, hash TEXT UNIQUE, run_id INT, case_id INT, "
            "status TEXT, time_ms INT, params TEXT, idempotency_key TEXT, UNIQUE(run_id, idempotency_key))"
        )
        db.execute(
            "CREATE TABLE steps (id INTEGER PRIMARY KEY, result_id INT, position INT, status INT, action TEXT)"
        )
        started = time.perf_counter()
        for first in range(0, rows, 200):
            db.execute("BEGIN IMMEDIATE")
            cursor = db.executemany(
                "INSERT INTO results (hash, run_id, case_id, status, time_ms, params, idempotency_key) "
                "VALUES (?, 1, ?, 'passed', 1000, '{}', ?) RETURNING id",
                [(uuid.uuid4().hex, n, str(uuid.uuid4())) for n in range(first, first + 200)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            db.executemany(
                "INSERT INTO steps (result_id, position, status, action) VALUES (?, 0, 1, 'Open')",
                [(i,) for i in ids],
            )
            db.execute("COMMIT")
        return rows / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="`testament serve --workers`")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        server = start_server("sqlite", None, Path(workdir), "--workers", str(args.workers))
        try:
            admin = httpx.Client(
                base_url=server.url, headers={"Token": server.tokens["admin"]}, timeout=300
            )
            code = "INGEST"
            admin.post("/v1/project", json={"title": "Ingest", "code": code}).raise_for_status()
            for first in range(0, args.cases, 500):
                cases = [{"title": f"test_{n}"} for n in range(first, min(first + 500, args.cases))]
                admin.post(f"/v1/case/{code}/bulk", json={"cases": cases}).raise_for_status()
            run = admin.post(
                f"/v1/run/{code}", json={"title": "Bench", "is_autotest": True}
            ).json()["result"]["id"]
            bodies = [batch(args.size, args.cases, i * args.size) for i in range(args.batches)]

            def post(body: dict[str, Any]) -> None:
                with httpx.Client(
                    base_url=server.url, headers={"Token": server.tokens["member"]}, timeout=300
                ) as c:
                    c.post(f"/v2/{code}/run/{run}/results", json=body).raise_for_status()

            post(batch(args.size, args.cases, 0))  # warm up
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                list(pool.map(post, bodies))
            seconds = time.perf_counter() - started
            total = args.batches * args.size
            rate = total / seconds
            base = baseline(total)
            print(
                f"v2 ingestion: {total} results in {seconds:.2f} s = {rate:,.0f} results/s "
                f"({args.clients} clients, batches of {args.size})"
            )
            print(
                f"baseline (plain sqlite3 executemany, same rows): {base:,.0f} rows/s; ratio {rate / base:.2f}"
            )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
