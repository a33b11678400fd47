"""`/v1/author` over HTTP, and through the official client."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.authors_api import AuthorsApi

# Search by name is case-insensitive matching in SQL.
pytestmark = pytest.mark.both_backends


def _authors(api: httpx.Client, **params: object) -> dict[str, object]:
    result: dict[str, object] = api.get("/v1/author", params={"limit": 100, **params}).json()[
        "result"
    ]
    return result


def test_every_user_is_an_author(api: httpx.Client) -> None:
    entities = _authors(api)["entities"]
    assert isinstance(entities, list)
    viewer = next(a for a in entities if a["email"] == "viewer@example.com")
    assert viewer["entity_type"] == "user" and viewer["is_active"] is True
    assert viewer["author_id"] == viewer["id"]
    assert viewer["name"] == "Viewer User"


def test_search_by_name_filters(api: httpx.Client) -> None:
    result = _authors(api, search="viewer")
    names = [a["name"] for a in result["entities"]]  # type: ignore[index, union-attr]
    assert names == ["Viewer User"]
    assert result["filtered"] == 1 and result["total"] >= 4  # type: ignore[operator]


def test_search_is_literal(api: httpx.Client) -> None:
    assert _authors(api, search="%")["filtered"] == 0


def test_type_filter(api: httpx.Client) -> None:
    assert _authors(api, type="app")["filtered"] == 0
    assert _authors(api, type="user")["filtered"] == _authors(api)["total"]


def test_unknown_type_is_400(api: httpx.Client) -> None:
    response = api.get("/v1/author", params={"type": "robot"})
    assert response.status_code == 400
    assert response.json()["errorFields"][0]["field"] == "type"


def test_get_by_uuid_and_by_deprecated_int_id(api: httpx.Client) -> None:
    author = _authors(api)["entities"][0]  # type: ignore[index]
    assert api.get(f"/v1/author/{author['uuid']}").json()["result"] == author
    assert api.get(f"/v1/author/{author['id']}").json()["result"] == author


@pytest.mark.parametrize(
    ("ref", "status"),
    [("00000000-0000-0000-0000-000000000000", 404), ("999999", 404), ("not-a-uuid", 400)],
)
def test_unknown_or_malformed_author(api: httpx.Client, ref: str, status: int) -> None:
    assert api.get(f"/v1/author/{ref}").status_code == status


def test_official_client_reads_authors(qase_for: Callable[..., object]) -> None:
    authors = AuthorsApi(qase_for())
    listed = authors.get_authors(search="Owner", limit=10)
    assert [a.email for a in listed.result.entities] == ["owner@example.com"]
    one = listed.result.entities[0]
    assert authors.get_author(str(one.uuid)).result.email == "owner@example.com"
