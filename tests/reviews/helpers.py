"""Review test helpers over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

NO_REVIEW = {"review": {"enabled": False}}


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


def make_case(api: httpx.Client, code: str, title: str = "A case", **fields: Any) -> int:
    return int(ok(api.post(f"/v1/case/{code}", json={"title": title, **fields}))["id"])


def get_case(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/case/{code}/{number}"))
    return result


def make_review(api: httpx.Client, code: str, **body: Any) -> int:
    """Create a review; a create review titled "New case" unless told otherwise."""
    body.setdefault("proposed_case", {"title": "New case"})
    return int(ok(api.post(f"/v1/review/{code}", json=body))["id"])


def get_review(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/review/{code}/{number}"))
    return result


def list_reviews(api: httpx.Client, code: str, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/review/{code}", params={"limit": 100, **params}))
    return result


def author_uuid(api: httpx.Client, role: str) -> str:
    """The author UUID of the test server's user holding `role`."""
    authors = ok(api.get("/v1/author", params={"limit": 100, "type": "user"}))["entities"]
    return next(str(a["uuid"]) for a in authors if a["email"] == f"{role}@example.com")


def make_suite(api: httpx.Client, code: str, title: str = "Suite") -> int:
    return int(ok(api.post(f"/v1/suite/{code}", json={"title": title}))["id"])
