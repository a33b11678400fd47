"""Test data made over HTTP, with codes unique enough for tests to share a server."""

from __future__ import annotations

import random
import string

import httpx


def unique_code(length: int = 8) -> str:
    return "".join(random.choices(string.ascii_uppercase, k=length))


def make_project(api: httpx.Client, **fields: object) -> str:
    """Create a project (as the given client) and return its code."""
    body = {"title": f"Project {unique_code(4)}", "code": unique_code(), **fields}
    response = api.post("/v1/project", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["code"])
