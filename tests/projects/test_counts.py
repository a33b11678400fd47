"""A project's `counts` follow what is created and deleted in it, and only in it."""

from __future__ import annotations

import httpx
import pytest

from tests.cases.helpers import make_case, make_milestone, make_suite, ok
from tests.factories import make_project

# Counts are SQL aggregates (sum of case) per project.
pytestmark = pytest.mark.both_backends


def counts(api: httpx.Client, code: str) -> dict[str, object]:
    result: dict[str, object] = ok(api.get(f"/v1/project/{code}"))["counts"]
    return result


def test_counts_follow_the_repository(api: httpx.Client) -> None:
    code, other = make_project(api), make_project(api)
    suite = make_suite(api, code)
    make_suite(api, code, "Second")
    make_milestone(api, code)
    for _ in range(3):
        make_case(api, code, suite_id=suite)
    make_case(api, code)
    make_case(api, other)

    assert counts(api, code) == {
        "cases": 4,
        "suites": 2,
        "milestones": 1,
        "runs": {"total": 0, "active": 0},
        "defects": {"total": 0, "open": 0},
    }
    ok(api.delete(f"/v1/case/{code}/4"))
    api.request("DELETE", f"/v1/suite/{code}/{suite}", json={})
    after = counts(api, code)
    assert (after["cases"], after["suites"], after["milestones"]) == (0, 1, 1)
    assert counts(api, other)["cases"] == 1


def test_counts_in_the_project_list_match_get(api: httpx.Client) -> None:
    code = make_project(api)
    make_case(api, code)
    total = ok(api.get("/v1/project", params={"limit": 1}))["total"]
    listed = []
    for offset in range(0, total, 100):
        listed += ok(api.get("/v1/project", params={"limit": 100, "offset": offset}))["entities"]
    assert next(p for p in listed if p["code"] == code)["counts"] == counts(api, code)
