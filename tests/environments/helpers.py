"""Environment test data over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def make_environment(
    api: httpx.Client, code: str, slug: str = "staging", title: str | None = None, **fields: object
) -> int:
    """Create an environment and return its id."""
    body = {"title": title or slug.title(), "slug": slug, **fields}
    response = api.post(f"/v1/environment/{code}", json=body)
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def get_environment(api: httpx.Client, code: str, environment_id: int) -> dict[str, Any]:
    response = api.get(f"/v1/environment/{code}/{environment_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_environments(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    response = api.get(f"/v1/environment/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
