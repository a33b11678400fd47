"""Reading the audit log over HTTP, and making a few audited writes."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import make_project


def audit_page(client: httpx.Client, **params: Any) -> dict[str, Any]:
    """One page of `GET /v1/audit_log` (`from_` stands for `from`)."""
    if "from_" in params:
        params["from"] = params.pop("from_")
    response = client.get("/v1/audit_log", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] is True
    result: dict[str, Any] = body["result"]
    assert result["count"] == len(result["entities"])
    return result


def audit_entries(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """Every entry matching `params`, newest first, walking the cursor."""
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = audit_page(client, limit=100, **params, **({"cursor": cursor} if cursor else {}))
        entries += page["entities"]
        cursor = page["next_cursor"]
        if cursor is None:
            return entries


def user_ids(client: httpx.Client) -> dict[str, int]:
    """User ids by email."""
    found: dict[str, int] = {}
    offset = 0
    while True:
        response = client.get("/v1/user", params={"limit": 100, "offset": offset})
        assert response.status_code == 200, response.text
        users = response.json()["result"]["entities"]
        found.update({user["email"]: user["id"] for user in users})
        if len(users) < 100:
            return found
        offset += 100


def make_case(client: httpx.Client, code: str, title: str = "A case") -> int:
    response = client.post(f"/v1/case/{code}", json={"title": title})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def project_with_writes(admin: httpx.Client, member: httpx.Client) -> tuple[str, int]:
    """A project (by the admin) with a case (by the member) the admin then renames: 3 entries."""
    code = make_project(admin)
    case_id = make_case(member, code, "Login works")
    renamed = admin.patch(f"/v1/case/{code}/{case_id}", json={"title": "Login still works"})
    assert renamed.status_code == 200, renamed.text
    return code, case_id
