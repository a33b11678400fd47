"""Configuration test data over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def make_group(api: httpx.Client, code: str, title: str = "Browser") -> int:
    """Create a configuration group and return its id."""
    response = api.post(f"/v1/configuration/{code}/group", json={"title": title})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def make_configuration(api: httpx.Client, code: str, group_id: int, title: str) -> int:
    """Create a configuration in a group and return its id."""
    response = api.post(f"/v1/configuration/{code}", json={"title": title, "group_id": group_id})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def list_groups(api: httpx.Client, code: str) -> dict[str, Any]:
    response = api.get(f"/v1/configuration/{code}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]
