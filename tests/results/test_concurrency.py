"""Several reporters posting into one run at once: nothing lost, nothing duplicated, no 5xx."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.cases.helpers import ok
from tests.factories import make_project
from tests.live import LiveServer
from tests.results.test_v2 import result, run_results
from tests.runs.test_endpoints import get_run, make_run

# Concurrent reporters: locking and insert-or-ignore differ by dialect.
pytestmark = pytest.mark.both_backends

CLIENTS = 4
BATCHES = 6
PER_BATCH = 25


def test_parallel_batches_lose_nothing(api: httpx.Client, server: LiveServer) -> None:
    code = make_project(api)
    run = make_run(api, code, is_autotest=True)
    # Every client sends the same tests (same signatures) with its own result ids, as parallel
    # CI shards of one suite do; cases must be made once each.
    batches = [
        [
            result(f"test_{n}", "passed" if n % 3 else "failed", id=str(uuid.uuid4()))
            for n in range(PER_BATCH)
        ]
        for _ in range(CLIENTS * BATCHES)
    ]

    def send(client: httpx.Client, batch: list[dict[str, Any]]) -> int:
        # As the official reporters do: a transport error is retried with the same result ids.
        for attempt in range(3):
            try:
                return client.post(
                    f"/v2/{code}/run/{run}/results", json={"results": batch}
                ).status_code
            except httpx.TransportError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post(batch: list[dict[str, Any]]) -> int:
        with httpx.Client(
            base_url=server.url, headers={"Token": server.tokens["member"]}, timeout=120
        ) as client:
            first = send(client, batch)
            # A retry of the same batch (a reporter whose answer got lost) changes nothing.
            again = send(client, batch)
            return first if first != 202 else again

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(post, batches))
    assert statuses == [202] * len(batches)

    stored = run_results(api, code, run)
    total = ok(api.get(f"/v1/result/{code}", params={"run": str(run), "limit": 1}))["total"]
    assert total == CLIENTS * BATCHES * PER_BATCH, f"stored {total}"
    assert len(stored) == 100
    assert ok(api.get(f"/v1/case/{code}", params={"limit": 1}))["total"] == PER_BATCH
    stats = get_run(api, code, run)["stats"]
    assert stats["total"] == PER_BATCH and sum(stats["statuses"].values()) == PER_BATCH


def test_the_same_new_tests_from_many_shards_at_once_make_each_case_once(
    api: httpx.Client, server: LiveServer
) -> None:
    """Shards of one CI job start together and all report the same new tests first."""
    code = make_project(api)
    run = make_run(api, code, is_autotest=True)
    shards = 8
    start = threading.Barrier(shards)

    def shard(_: int) -> int:
        batch = [result(f"test_new_{n}", id=str(uuid.uuid4())) for n in range(10)]
        with httpx.Client(
            base_url=server.url, headers={"Token": server.tokens["member"]}, timeout=120
        ) as client:
            start.wait()
            return client.post(f"/v2/{code}/run/{run}/results", json={"results": batch}).status_code

    with ThreadPoolExecutor(max_workers=shards) as pool:
        assert list(pool.map(shard, range(shards))) == [202] * shards
    assert ok(api.get(f"/v1/case/{code}", params={"limit": 1}))["total"] == 10
    assert ok(api.get(f"/v1/result/{code}", params={"run": str(run), "limit": 1}))["total"] == 80


OVERLAP_CASES = 80
OVERLAP_ROUNDS = 6


def test_overlapping_batches_in_opposite_orders_neither_deadlock_nor_lose_the_newest(
    api: httpx.Client, server: LiveServer
) -> None:
    """Two shards send results for the same cases at the same moment, one in ascending and one
    in descending order (half the cases already in the run, half joining it). Row locks taken in
    input order deadlock on PostgreSQL (a 500, the batch lost); and a run case must end at its
    newest result even when the older batch commits last."""
    code = make_project(api)
    bulk = {"cases": [{"title": f"case {n}"} for n in range(OVERLAP_CASES)]}
    cases = ok(api.post(f"/v1/case/{code}/bulk", json=bulk))["ids"]
    run = make_run(api, code, cases=cases[: OVERLAP_CASES // 2])
    start = threading.Barrier(2)
    base = time.time() - 3600

    def shard(descending: bool) -> list[int]:
        answers = []
        order = list(reversed(cases)) if descending else list(cases)
        with httpx.Client(
            base_url=server.url, headers={"Token": server.tokens["member"]}, timeout=120
        ) as client:
            for round_ in range(OVERLAP_ROUNDS):
                # Ascending results end later each round: they are the newest, whoever commits last.
                end = base + round_ * 10 + (0 if descending else 5)
                batch = [
                    {
                        "id": str(uuid.uuid4()),
                        "title": f"case {case}",
                        "testops_ids": [case],
                        "execution": {
                            "status": "failed" if descending else "passed",
                            "start_time": end - 1,
                            "end_time": end,
                        },
                    }
                    for case in order
                ]
                start.wait()
                answers.append(
                    client.post(
                        f"/v2/{code}/run/{run}/results", json={"results": batch}
                    ).status_code
                )
        return answers

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(shard, (False, True)))
    assert answers == [[202] * OVERLAP_ROUNDS] * 2
    total = ok(api.get(f"/v1/result/{code}", params={"run": str(run), "limit": 1}))["total"]
    assert total == 2 * OVERLAP_ROUNDS * OVERLAP_CASES
    assert get_run(api, code, run)["stats"]["statuses"] == {"passed": OVERLAP_CASES}
