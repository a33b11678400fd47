"""Plan test data over HTTP: cases through the case endpoints, plans through ours."""

from __future__ import annotations

from typing import Any

import httpx


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def make_cases(api: httpx.Client, code: str, count: int) -> list[int]:
    """Create `count` cases in one bulk request; answers their ids."""
    body = {"cases": [{"title": f"Case {i}"} for i in range(1, count + 1)]}
    return [int(n) for n in ok(api.post(f"/v1/case/{code}/bulk", json=body))["ids"]]


def delete_case(api: httpx.Client, code: str, number: int) -> None:
    ok(api.delete(f"/v1/case/{code}/{number}"))


def make_plan(
    api: httpx.Client, code: str, cases: list[int], title: str = "Plan", **fields: Any
) -> int:
    """Create a plan and return its id."""
    body = {"title": title, "cases": cases, **fields}
    return int(ok(api.post(f"/v1/plan/{code}", json=body))["id"])


def get_plan(api: httpx.Client, code: str, plan_id: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/plan/{code}/{plan_id}"))
    return result


def list_plans(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/plan/{code}", params={"limit": 100, **params}))
    return result


def plan_cases(api: httpx.Client, code: str, plan_id: int) -> list[int]:
    return [c["case_id"] for c in get_plan(api, code, plan_id)["cases"]]


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
