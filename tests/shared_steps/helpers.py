"""Shared step test helpers over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def make_shared_step(api: httpx.Client, code: str, title: str = "Log in", **fields: Any) -> str:
    """Create a shared step (one step unless `steps` is given); answers its hash."""
    body = {"title": title, "steps": [{"action": "Open the login page"}], **fields}
    response = api.post(f"/v1/shared_step/{code}", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["hash"])


def get_shared_step(api: httpx.Client, code: str, shared_hash: str) -> dict[str, Any]:
    response = api.get(f"/v1/shared_step/{code}/{shared_hash}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_shared_steps(api: httpx.Client, code: str, **params: Any) -> dict[str, Any]:
    response = api.get(f"/v1/shared_step/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
