"""Errors rendered by where the request went, and the guards every router carries.

`/v1` and `/v2` answer Qase's envelope to every client; other paths answer a browser with an
HTML page (or a redirect to sign-in for a 401) and every other client with the envelope.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from testament.app import create_app
from testament.http.guards import ROUTER_GUARDS
from testament.kit.errors import FieldError, Invalid, Unauthorized
from testament.settings import Settings
from tests.live import LiveServer

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_a_browser_gets_an_html_page_outside_the_api(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/no/such/page", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>404</h1>" in response.text
    assert "GET /no/such/page is not a page" in response.text


@pytest.mark.parametrize("path", ["/v1/nope", "/v2/nope", "/v1/project/NOPE"])
def test_the_api_answers_the_envelope_even_to_a_browser(server: LiveServer, path: str) -> None:
    response = httpx.get(
        f"{server.url}{path}", headers={"Accept": BROWSER, "Token": server.tokens["admin"]}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status"] is False


def test_a_client_that_asks_for_json_outside_the_api_gets_the_envelope(
    server: LiveServer,
) -> None:
    for accept in ("application/json", "*/*", ""):
        response = httpx.get(f"{server.url}/no/such/page", headers={"Accept": accept})
        assert response.status_code == 404
        assert response.json()["errorMessage"] == "Not found: GET /no/such/page is not a page."


@pytest.fixture
def page_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The real app with one extra page outside the API that raises what a page may raise."""
    app = create_app(Settings(data_dir=tmp_path))
    pages = APIRouter()

    @pages.get("/page/private")
    def private() -> None:
        raise Unauthorized("Sign in to see this page.")

    @pages.get("/page/form")
    def form() -> None:
        raise Invalid("Data is invalid: title.", [FieldError("title", "<b>required</b>")])

    app.include_router(pages)
    yield app
    app.state.database.engine.dispose()


def test_a_401_page_redirects_to_sign_in_when_the_app_has_one(page_app: FastAPI) -> None:
    client = TestClient(page_app, follow_redirects=False)
    without = client.get("/page/private?tab=2", headers={"Accept": BROWSER})
    assert without.status_code == 401 and "Sign in to see this page." in without.text

    page_app.state.sign_in_path = "/sign-in"
    redirected = client.get("/page/private?tab=2", headers={"Accept": BROWSER})
    assert redirected.status_code == 303
    assert redirected.headers["location"] == "/sign-in?next=%2Fpage%2Fprivate%3Ftab%3D2"
    # An API client is never redirected.
    assert client.get("/page/private").json()["errorMessage"] == "Sign in to see this page."


def test_an_html_error_page_names_each_field_escaped(page_app: FastAPI) -> None:
    page = TestClient(page_app).get("/page/form", headers={"Accept": BROWSER})
    assert page.status_code == 422
    assert "<code>title</code>: &lt;b&gt;required&lt;/b&gt;" in page.text
    assert "<b>required</b>" not in page.text


UNGUARDED = frozenset({"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


def test_every_route_carries_the_router_guards(tmp_path: Path) -> None:
    """NUL guards and the maintenance switch sit on every router, not only the API's."""
    app = create_app(Settings(data_dir=tmp_path))
    guards = {guard.dependency for guard in ROUTER_GUARDS}
    routes = [
        route
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and route.path not in UNGUARDED
    ]
    paths = {route.path for route in routes}
    assert {
        "/public/run/{public_hash}",
        "/v1/case/{code}",
        "/v2/{project_code}/run/{run_id}/results",
    } <= paths
    for route in routes:
        calls = {dependency.call for dependency in route.dependant.dependencies}
        assert guards <= calls, f"{route.path} lacks {guards - calls}"
    app.state.database.engine.dispose()


def test_a_nul_in_a_tokenless_url_is_refused(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/public/run/abc%00def")
    assert response.status_code == 400
    assert response.json()["errorFields"] == [{"field": "url", "error": "contains a NUL character"}]
