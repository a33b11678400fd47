"""`/v1/user` over HTTP, and through the official client."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from qase.api_client_v1.api.users_api import UsersApi
from qase.api_client_v1.exceptions import NotFoundException


def test_lists_the_users_with_their_fields(api: httpx.Client) -> None:
    result = api.get("/v1/user", params={"limit": 100}).json()["result"]
    by_email = {u["email"]: u for u in result["entities"]}
    assert {"owner@example.com", "viewer@example.com"} <= set(by_email)
    viewer = by_email["viewer@example.com"]
    assert viewer["name"] == "Viewer User" and viewer["status"] == 1
    assert isinstance(viewer["id"], int) and isinstance(viewer["title"], str)
    assert result["total"] == result["filtered"] >= 4


def test_get_one_user(api: httpx.Client) -> None:
    first = api.get("/v1/user", params={"limit": 1}).json()["result"]["entities"][0]
    assert api.get(f"/v1/user/{first['id']}").json()["result"] == first


def test_unknown_user_is_404_and_bad_id_is_400(api: httpx.Client) -> None:
    assert api.get("/v1/user/999999").status_code == 404
    response = api.get("/v1/user/abc")
    assert response.status_code == 400
    assert response.json()["errorFields"][0]["field"] == "id"


def test_paging(api: httpx.Client) -> None:
    page = api.get("/v1/user", params={"limit": 2, "offset": 1}).json()["result"]
    assert page["count"] == 2


def test_viewer_can_read_users(client_as: Callable[[str | None], httpx.Client]) -> None:
    assert client_as("viewer").get("/v1/user").status_code == 200


def test_official_client_reads_users(qase_for: Callable[..., object]) -> None:
    users = UsersApi(qase_for())
    listed = users.get_users(limit=100)
    emails = {u.email for u in listed.result.entities}
    assert "admin@example.com" in emails
    one = listed.result.entities[0]
    assert users.get_user(one.id).result.email == one.email
    try:
        users.get_user(999999)
    except NotFoundException:
        pass
    else:
        raise AssertionError("expected 404")
