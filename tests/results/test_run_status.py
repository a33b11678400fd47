"""A run case stands at its newest result, by one rule on every path: the latest `end_time`
(a result sent without one ends when it is stored), then the larger id. Whatever order the
results come in: within a request, across batches, after an update or a delete."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.cases.helpers import make_case, ok
from tests.factories import make_project
from tests.results.test_v2 import run_results, send
from tests.runs.test_endpoints import get_run, make_run

# The newest-result rule is written in SQL (ordering, upserts across batches).
pytestmark = pytest.mark.both_backends

HOUR = 3600.0


def at(title: str, case: int, status: str, end: float | None, **execution: Any) -> dict[str, Any]:
    """A v2 result for case `case` that ended at `end` (epoch seconds; None: not said)."""
    timing = {"end_time": end, "start_time": end - 1} if end is not None else {}
    return {
        "title": title,
        "testops_ids": [case],
        "execution": {"status": status, **timing, **execution},
    }


def statuses(api: httpx.Client, code: str, run: int) -> dict[str, int]:
    counted: dict[str, int] = get_run(api, code, run)["stats"]["statuses"]
    return counted


def test_within_a_request_the_newest_wins_not_the_last(api: httpx.Client) -> None:
    code = make_project(api)
    first, second = make_case(api, code), make_case(api, code)
    run = make_run(api, code, cases=[first, second])
    now = time.time()
    response = send(
        api,
        code,
        run,
        at("a", first, "passed", now - HOUR),
        at("a", first, "failed", now - 2 * HOUR),  # sent last, ended first
        at("b", second, "skipped", now - 2 * HOUR),
        at("b", second, "blocked", now - HOUR),
    )
    assert response.status_code == 202, response.text
    assert statuses(api, code, run) == {"passed": 1, "blocked": 1}


def test_batches_arriving_out_of_order_leave_the_newest(api: httpx.Client) -> None:
    code = make_project(api)
    first, second = make_case(api, code), make_case(api, code)
    run = make_run(api, code, cases=[first, second])
    now = time.time()
    # A retried shard delivers its older results after a newer batch was stored.
    newer = send(
        api, code, run, at("a", first, "passed", now - HOUR), at("b", second, "blocked", now)
    )
    older = send(
        api,
        code,
        run,
        at("a", first, "failed", now - 3 * HOUR),
        at("b", second, "skipped", now - 2 * HOUR),
    )
    assert (newer.status_code, older.status_code) == (202, 202)
    assert statuses(api, code, run) == {"passed": 1, "blocked": 1}
    # A later result still takes over.
    assert send(api, code, run, at("a", first, "invalid", now + 1)).status_code == 202
    assert statuses(api, code, run) == {"invalid": 1, "blocked": 1}


def test_equal_end_times_go_to_the_later_stored_result(api: httpx.Client) -> None:
    code = make_project(api)
    case = make_case(api, code)
    run = make_run(api, code, cases=[case])
    moment = time.time() - HOUR
    send(api, code, run, at("a", case, "failed", moment), at("a", case, "passed", moment))
    assert statuses(api, code, run) == {"passed": 1}
    send(api, code, run, at("a", case, "blocked", moment))
    assert statuses(api, code, run) == {"blocked": 1}


def test_a_result_without_an_end_time_counts_from_its_arrival(api: httpx.Client) -> None:
    code = make_project(api)
    case = make_case(api, code)
    run = make_run(api, code, cases=[case])
    now = time.time()
    send(api, code, run, at("a", case, "passed", now - HOUR))
    # In progress: started, not ended. It arrived after the passed one ended, so it is newer.
    send(api, code, run, at("a", case, "in_progress", None, start_time=now - 10))
    assert statuses(api, code, run) == {"in_progress": 1}
    # A result that ended before the in-progress one arrived does not displace it.
    send(api, code, run, at("a", case, "failed", now - 60))
    assert statuses(api, code, run) == {"in_progress": 1}


def test_v1_results_follow_the_same_rule(api: httpx.Client) -> None:
    code = make_project(api)
    first, second = make_case(api, code), make_case(api, code)
    run = make_run(api, code, cases=[first, second])
    now = int(time.time())

    def v1(case: int, status: str, start: int) -> dict[str, Any]:
        return {"case_id": case, "status": status, "start_time": start, "time_ms": 1000}

    bulk = api.post(
        f"/v1/result/{code}/{run}/bulk",
        json={"results": [v1(first, "passed", now - 100), v1(first, "failed", now - 200)]},
    )
    assert bulk.status_code == 200, bulk.text
    ok(api.post(f"/v1/result/{code}/{run}", json=v1(second, "blocked", now - 100)))
    ok(api.post(f"/v1/result/{code}/{run}", json=v1(second, "skipped", now - 300)))
    assert statuses(api, code, run) == {"passed": 1, "blocked": 1}


def test_update_and_delete_settle_by_the_same_rule(api: httpx.Client) -> None:
    code = make_project(api)
    case = make_case(api, code)
    run = make_run(api, code, cases=[case])
    now = time.time()
    send(
        api,
        code,
        run,
        at("a", case, "passed", now - HOUR),
        at("a", case, "failed", now - 3 * HOUR),
        at("a", case, "blocked", now - 2 * HOUR),
    )
    assert statuses(api, code, run) == {"passed": 1}
    by_status = {r["status"]: r["hash"] for r in run_results(api, code, run)}
    # Changing an older result's status does not make it the newest.
    ok(api.patch(f"/v1/result/{code}/{run}/{by_status['failed']}", json={"status": "invalid"}))
    assert statuses(api, code, run) == {"passed": 1}
    # Deleting the newest falls back to the next newest by end time, not by storage order.
    ok(api.delete(f"/v1/result/{code}/{run}/{by_status['passed']}"))
    assert statuses(api, code, run) == {"blocked": 1}
    ok(api.delete(f"/v1/result/{code}/{run}/{by_status['blocked']}"))
    assert statuses(api, code, run) == {"invalid": 1}


def test_completing_a_run_reads_the_newest_results(api: httpx.Client) -> None:
    code = make_project(api)
    case = make_case(api, code)
    run = make_run(api, code, cases=[case])
    now = time.time()
    send(api, code, run, at("a", case, "passed", now - HOUR))
    send(api, code, run, at("a", case, "failed", now - 2 * HOUR))  # an older failure, late
    assert api.post(f"/v1/run/{code}/{run}/complete").status_code == 200
    assert get_run(api, code, run)["status_text"] == "passed"
