"""Milestone test data over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def make_milestone(api: httpx.Client, code: str, title: str = "Release", **fields: object) -> int:
    """Create a milestone and return its id."""
    response = api.post(f"/v1/milestone/{code}", json={"title": title, **fields})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def get_milestone(api: httpx.Client, code: str, milestone_id: int) -> dict[str, Any]:
    response = api.get(f"/v1/milestone/{code}/{milestone_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_milestones(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    response = api.get(f"/v1/milestone/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result
