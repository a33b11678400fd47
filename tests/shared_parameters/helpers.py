"""Shared parameter test helpers over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

SINGLE = [{"title": "Browser", "values": ["Chrome", "Firefox"]}]
GROUP = [
    {"title": "Login", "values": ["alice", "bob"]},
    {"title": "Password", "values": ["a-secret", "b-secret"]},
]


def make_parameter(api: httpx.Client, title: str = "Browsers", **fields: Any) -> str:
    """Create a shared parameter (single, enabled nowhere unless told); answers its id."""
    body = {
        "title": title,
        "type": "single",
        "is_enabled_for_all_projects": False,
        "parameters": SINGLE,
        **fields,
    }
    response = api.post("/v1/shared_parameter", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["id"])


def get_parameter(api: httpx.Client, parameter_id: str) -> dict[str, Any]:
    response = api.get(f"/v1/shared_parameter/{parameter_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_parameters(api: httpx.Client, **params: Any) -> dict[str, Any]:
    response = api.get("/v1/shared_parameter", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
