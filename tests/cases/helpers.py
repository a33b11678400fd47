"""Making the things cases refer to, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def make_case(api: httpx.Client, code: str, **fields: Any) -> int:
    return int(ok(api.post(f"/v1/case/{code}", json={"title": "A case", **fields}))["id"])


def get_case(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/case/{code}/{number}"))
    return result


def make_suite(api: httpx.Client, code: str, title: str = "Suite") -> int:
    return int(ok(api.post(f"/v1/suite/{code}", json={"title": title}))["id"])


def make_milestone(api: httpx.Client, code: str, title: str = "Milestone") -> int:
    return int(ok(api.post(f"/v1/milestone/{code}", json={"title": title}))["id"])


def make_shared_step(api: httpx.Client, code: str, *actions: str) -> str:
    body = {
        "title": "Log in",
        "steps": [{"action": a, "expected_result": f"{a} done"} for a in actions],
    }
    return str(ok(api.post(f"/v1/shared_step/{code}", json=body))["hash"])


def upload(api: httpx.Client, code: str, name: str, content: bytes) -> str:
    result = ok(
        api.post(f"/v1/attachment/{code}", files=[("file[]", (name, content, "text/plain"))])
    )
    return str(result[0]["hash"])


def make_case_field(api: httpx.Client, **fields: Any) -> int:
    body = {
        "title": "Component",
        "entity": 0,
        "type": 1,
        "is_enabled_for_all_projects": True,
        **fields,
    }
    return int(ok(api.post("/v1/custom_field", json=body))["id"])


def case_total(api: httpx.Client, code: str) -> int:
    return int(ok(api.get(f"/v1/case/{code}", params={"limit": 1}))["total"])
