"""Suite test data over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def make_suite(api: httpx.Client, code: str, title: str = "Suite", **fields: object) -> int:
    """Create a suite and return its id."""
    response = api.post(f"/v1/suite/{code}", json={"title": title, **fields})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def get_suite(api: httpx.Client, code: str, suite_id: int) -> dict[str, Any]:
    response = api.get(f"/v1/suite/{code}/{suite_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_suites(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    response = api.get(f"/v1/suite/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def project_counts(api: httpx.Client, code: str) -> dict[str, Any]:
    counts: dict[str, Any] = api.get(f"/v1/project/{code}").json()["result"]["counts"]
    return counts


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
