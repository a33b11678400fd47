"""Concurrent writes to plans: distinct ids, and case lists replaced one writer at a time."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.factories import make_project
from tests.plans.helpers import list_plans, make_cases, make_plan, plan_cases

# Concurrent writers: locking differs by dialect.
pytestmark = pytest.mark.both_backends

WRITERS = 8


def in_parallel(call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(call, range(WRITERS)))


def test_concurrent_creates_get_distinct_ids(
    client_as: Callable[[str | None], httpx.Client],
) -> None:
    api = client_as("admin")
    code = make_project(api)
    make_cases(api, code, 2)
    clients = [client_as("admin") for _ in range(WRITERS)]
    responses = in_parallel(
        lambda i: clients[i].post(f"/v1/plan/{code}", json={"title": f"P{i}", "cases": [1, 2]})
    )
    assert [r.status_code for r in responses] == [200] * WRITERS
    assert sorted(r.json()["result"]["id"] for r in responses) == list(range(1, WRITERS + 1))
    assert list_plans(api, code)["total"] == WRITERS


def test_concurrent_case_list_replacements_all_succeed(
    client_as: Callable[[str | None], httpx.Client],
) -> None:
    api = client_as("admin")
    code = make_project(api)
    make_cases(api, code, WRITERS + 1)
    plan = make_plan(api, code, [1, 2, 3])
    lists = [[i + 1, i + 2, 1] for i in range(WRITERS)]
    clients = [client_as("admin") for _ in range(WRITERS)]
    responses = in_parallel(
        lambda i: clients[i].patch(f"/v1/plan/{code}/{plan}", json={"cases": lists[i]})
    )
    assert [r.status_code for r in responses] == [200] * WRITERS
    # The last writer's list, whole: never a mix of two lists.
    assert plan_cases(api, code, plan) in [list(dict.fromkeys(c)) for c in lists]
