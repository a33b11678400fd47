"""The permission matrix: every API route, as every role, against the table of rules.

Generated from `api_route_table()` and `BUILTIN_ROLE_PERMISSIONS`, so a new route is covered the
day it is added (and fails here if it declares no permission). A role without the route's
permission gets 403 naming that permission; a role with it gets past the check (anything but 403,
never a 5xx). Path parameters are filled so the check is reached and nothing is destroyed: the
project is an open one every role sees, ids are numbers no entity has.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.app import api_route_table
from testament.http.deps import declared_permissions
from tests.conftest import make_client
from tests.factories import make_project
from tests.live import ROLES, LiveServer
from tests.test_routes import expected_routes

ROUTES = api_route_table()
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
PROJECT_CODE_PARAMETERS = frozenset({"code", "project_code"})
MISSING_NUMBER = 999_999  # no entity has it: allowed deletes and updates answer 404
DUMMY_HASH = "0" * 40


def _method(route: APIRoute) -> str:
    return sorted(route.methods)[0]


def _route_id(version: str, route: APIRoute) -> str:
    return f"{_method(route)} /{version}{route.path}"


def _path_parameter_types(dependant: Any) -> dict[str, Any]:
    types = {param.name: param.field_info.annotation for param in dependant.path_params}
    for dependency in dependant.dependencies:
        types.update(_path_parameter_types(dependency))
    return types


def _path_value(name: str, annotation: Any, project: str) -> str:
    if name in PROJECT_CODE_PARAMETERS:
        return project
    if name == "hash":
        return DUMMY_HASH
    if annotation is int or (annotation is str and name == "id"):
        return str(MISSING_NUMBER)
    if annotation is uuid.UUID:
        return str(uuid.uuid4())
    raise AssertionError(f"no test value for path parameter {name!r} ({annotation!r})")


def fill_path(version: str, route: APIRoute, project: str) -> str:
    types = _path_parameter_types(route.dependant)
    path = re.sub(
        r"\{(\w+)\}", lambda match: _path_value(match[1], types.get(match[1]), project), route.path
    )
    return f"/{version}{path}"


def _changes_the_project_itself(route: APIRoute) -> bool:
    """DELETE /project/{code} and the access grants: each test gets a project of its own."""
    names = re.findall(r"\{(\w+)\}", route.path)
    return names == ["code"] and route.path.startswith("/project/") and _method(route) != "GET"


def send(client: httpx.Client, route: APIRoute, path: str) -> httpx.Response:
    method = _method(route)
    # An empty JSON object: bodies are validated after the permission check.
    return client.request(method, path, json={} if method in WRITE_METHODS else None)


CASES = [(version, route, role) for version, route in ROUTES for role in ROLES]


def _case_id(case: tuple[str, APIRoute, str]) -> str:
    version, route, role = case
    return f"{_route_id(version, route)} as {role}"


@pytest.fixture(scope="module")
def clients(server: LiveServer) -> Iterator[dict[str | None, httpx.Client]]:
    """One client per role (and `None`: no token), for the whole module."""
    made: dict[str | None, httpx.Client] = {
        role: make_client(server, server.tokens[role]) for role in ROLES
    }
    made[None] = make_client(server, None)
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="module")
def open_project(clients: dict[str | None, httpx.Client]) -> str:
    """A project every role sees: what remains to decide is the permission."""
    return make_project(clients["admin"], access="all")


def test_every_route_is_in_the_matrix() -> None:
    assert len(ROUTES) == len(expected_routes())  # the contract's operations we serve
    assert {role for _, _, role in CASES} == set(BUILTIN_ROLE_PERMISSIONS) == set(ROLES)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_role_gets_what_the_rules_say(
    case: tuple[str, APIRoute, str], clients: dict[str | None, httpx.Client], open_project: str
) -> None:
    version, route, role = case
    permissions = declared_permissions(route.dependant)
    assert len(permissions) == 1, f"{_route_id(version, route)} declares {permissions}"
    permission = permissions[0]
    admin = clients["admin"]
    project = make_project(admin) if _changes_the_project_itself(route) else open_project

    response = send(clients[role], route, fill_path(version, route, project))

    if permission in BUILTIN_ROLE_PERMISSIONS[role]:
        assert response.status_code != 403, response.text
        assert response.status_code < 500, response.text
        if project == open_project and _method(route) in WRITE_METHODS:
            # An empty body or an id no entity has: the shared project is left as it was.
            assert response.status_code >= 400, response.text
    else:
        assert response.status_code == 403, response.text
        body = response.json()
        assert body["status"] is False
        assert f"`{permission}`" in body["errorMessage"], body
        if project != open_project:
            assert admin.get(f"/v1/project/{project}").status_code == 200, "refused yet changed"


@pytest.mark.parametrize("entry", ROUTES, ids=lambda entry: _route_id(*entry))
def test_no_token_is_401(
    entry: tuple[str, APIRoute], clients: dict[str | None, httpx.Client], open_project: str
) -> None:
    version, route = entry
    response = send(clients[None], route, fill_path(version, route, open_project))
    assert response.status_code == 401, response.text
    assert response.json()["status"] is False
