"""Both envelopes pinned: every success is `{"status": true, "result"}` with HTTP 200, every error
`{"status": false, "errorMessage", "errorFields"}` with a matching status, whatever the path."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from testament.app import api_route_table
from testament.kit.schemas import to_wire_datetime

ClientAs = Callable[[str | None], httpx.Client]

API_PATHS = [
    "/v1/project",
    "/v1/project/DEMO",
    "/v1/user",
    "/v1/user/1",
    "/v1/author",
    "/v1/author/1",
]


@pytest.mark.parametrize("path", API_PATHS)
def test_no_token_is_401(client_as: ClientAs, path: str) -> None:
    response = client_as(None).get(path)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] is False and "Token" in body["errorMessage"]


@pytest.mark.parametrize("path", API_PATHS)
def test_wrong_token_is_401(server: object, path: str) -> None:
    from tests.conftest import make_client

    with make_client(server, "tmt_wrong") as client:  # type: ignore[arg-type]
        response = client.get(path)
    assert response.status_code == 401
    assert response.json()["errorMessage"] == "Unauthenticated: the API token is not valid."


def test_token_in_another_header_is_not_accepted(client_as: ClientAs, server: object) -> None:
    token = server.tokens["admin"]  # type: ignore[attr-defined]
    response = client_as(None).get("/v1/project", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/v1/nope", "/v2/nope", "/v1/project/ABC/nope/1", "/nope"])
def test_unknown_path_is_404_envelope(api: httpx.Client, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["status"] is False


@pytest.mark.parametrize(("method", "path"), [("PUT", "/v1/project"), ("PATCH", "/v1/user")])
def test_wrong_method_is_405_envelope(api: httpx.Client, method: str, path: str) -> None:
    response = api.request(method, path)
    assert response.status_code == 405
    assert method in response.json()["errorMessage"]


def test_malformed_json_is_400(api: httpx.Client) -> None:
    response = api.post(
        "/v1/project", content=b'{"title": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errorFields"][0]["field"] == "body"
    assert "JSON" in response.json()["errorMessage"]


def test_body_that_is_not_json_is_400(api: httpx.Client) -> None:
    response = api.post("/v1/project", content=b"title=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.json()["errorMessage"]


@pytest.mark.parametrize("payload", [b"[1, 2]", b'"text"', b"null"])
def test_body_that_is_not_an_object_is_422(api: httpx.Client, payload: bytes) -> None:
    response = api.post(
        "/v1/project", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errorFields"][0]["field"] == "body"


def test_successes_are_exactly_200_with_status_true(api: httpx.Client) -> None:
    from tests.factories import unique_code

    code = unique_code()
    responses = [
        api.post("/v1/project", json={"title": "x", "code": code}),
        api.get("/v1/project"),
        api.get(f"/v1/project/{code}"),
        api.get("/v1/user"),
        api.get("/v1/author"),
        api.delete(f"/v1/project/{code}"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status"] is True


def _concrete(path: str) -> str:
    return path.replace("{code}", "DEMO").replace("{id}", "1").replace("{hash}", "abc")


@pytest.mark.parametrize(
    ("method", "path"),
    [(sorted(r.methods)[0], f"/{v}{_concrete(r.path)}") for v, r in api_route_table()],
)
def test_every_api_route_refuses_a_missing_token(
    client_as: ClientAs, method: str, path: str
) -> None:
    response = client_as(None).request(method, path)
    assert response.status_code == 401, f"{method} {path} answered {response.status_code}"


def test_wire_datetimes_carry_an_offset() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    assert to_wire_datetime(datetime(2021, 12, 30, 19, 23, 59)) == "2021-12-30T19:23:59+00:00"
    cet = timezone(timedelta(hours=1))
    assert (
        to_wire_datetime(datetime(2021, 12, 30, 20, 23, 59, 999, tzinfo=cet))
        == "2021-12-30T19:23:59+00:00"
    )
    assert to_wire_datetime(datetime(2021, 1, 1, tzinfo=UTC)) == "2021-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/project/AB%00", {}),
        ("GET", "/v1/author?search=a%00b", {}),
        ("POST", "/v1/project", {"json": {"title": "a\x00b", "code": "NULNUL"}}),
    ],
)
def test_nul_characters_are_refused_not_a_500(
    api: httpx.Client, method: str, path: str, kwargs: dict[str, object]
) -> None:
    response = api.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code in (400, 422), response.text


HUGE = 2**31
HUGER = 2**64


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/case/{code}/" + str(HUGE), None),
        ("PATCH", "/v1/case/{code}/" + str(HUGE), {"title": "x"}),
        ("GET", "/v1/case/{code}?suite_id=" + str(HUGE) + "&milestone_id=" + str(HUGE), None),
        ("POST", "/v1/case/{code}", {"title": "x", "suite_id": HUGE, "milestone_id": HUGER}),
        ("POST", "/v1/case/{code}/bulk", {"cases": [{"title": "x", "id": HUGE}]}),
        (
            "POST",
            "/v1/case/{code}/external-issue/attach",
            {"type": "jira-cloud", "links": [{"case_id": HUGE, "external_issues": ["A-1"]}]},
        ),
        ("GET", "/v1/suite/{code}/" + str(HUGE), None),
        ("GET", "/v1/milestone/{code}/" + str(HUGE), None),
        ("GET", "/v1/user/" + str(HUGER), None),
        ("GET", "/v1/author/" + str(HUGER), None),
        ("POST", "/v1/project/{code}/access", {"member_id": HUGER}),
    ],
)
def test_ids_beyond_the_columns_are_4xx_not_500(
    api: httpx.Client, method: str, path: str, body: dict[str, object] | None
) -> None:
    from tests.factories import make_project

    code = make_project(api)
    response = api.request(method, path.format(code=code), json=body)
    assert 400 <= response.status_code < 500, response.text
