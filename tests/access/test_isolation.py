"""Project isolation: a member or viewer kept out of a restricted project sees nothing of it.

Project B is restricted (`access: none`) and granted to another user only. Everything under B is
a 404 worded exactly as for a project that does not exist, lists never show B's data, and every
response the restricted clients get is watched for B's code, hashes and texts. Grants and
revocations are in test_grants.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute

from testament.app import api_route_table
from tests.access.helpers import (
    FilledProject,
    LeakWatch,
    User,
    all_entities,
    done,
    fill_path_in,
    fill_project,
    ok,
    project_codes,
)
from tests.conftest import make_client
from tests.factories import make_project, unique_code
from tests.live import ROLES, LiveServer

RESTRICTED_ROLES = ("member", "viewer")  # the roles that see only the projects open to them
PROJECT_ROUTES = [
    (version, route)
    for version, route in api_route_table()
    if "{code}" in route.path or "{project_code}" in route.path
]
# Templates with a GET: after any request to one, the admin still reads the entity there.
READABLE = {(version, route.path) for version, route in api_route_table() if "GET" in route.methods}
UNKNOWN_HASH = "f" * 40
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _route_id(version: str, route: APIRoute) -> str:
    return f"{sorted(route.methods)[0]} /{version}{route.path}"


def _request(client: httpx.Client, route: APIRoute, path: str) -> httpx.Response:
    method = sorted(route.methods)[0]
    return client.request(method, path, json={} if method in WRITE_METHODS else None)


def _same_error(
    response: httpx.Response, unknown: httpx.Response, secret: str, stand_in: str
) -> None:
    """The response about the hidden thing is the one about a thing that does not exist."""
    assert response.status_code == unknown.status_code, response.text
    assert response.json() == json.loads(unknown.text.replace(stand_in, secret))


@pytest.fixture(scope="module")
def hidden(admin: httpx.Client, granted_user: User) -> FilledProject:
    """Project B: restricted, full of data, granted to `granted_user` only."""
    project = fill_project(admin)
    done(admin.post(f"/v1/project/{project.code}/access", json={"member_id": granted_user.id}))
    return project


@pytest.fixture(scope="module")
def open_code(admin: httpx.Client) -> str:
    """Project A: open to everyone."""
    return make_project(admin)


@pytest.fixture(scope="module")
def restricted(server: LiveServer, hidden: FilledProject) -> Iterator[dict[str, httpx.Client]]:
    """A client per restricted role, failing on any response that carries B's secrets."""
    watch = LeakWatch(hidden.secrets)
    clients = {}
    for role in RESTRICTED_ROLES:
        client = make_client(server, server.tokens[role])
        client.event_hooks["response"].append(watch)
        clients[role] = client
    yield clients
    for client in clients.values():
        client.close()


# --- Everything under B is a 404, worded as for a project that does not exist ---------------


@pytest.mark.parametrize(
    ("version", "route", "role"),
    [(version, route, role) for version, route in PROJECT_ROUTES for role in RESTRICTED_ROLES],
    ids=[
        f"{_route_id(version, route)} as {role}"
        for version, route in PROJECT_ROUTES
        for role in RESTRICTED_ROLES
    ],
)
def test_every_route_under_the_project_is_404(
    version: str,
    route: APIRoute,
    role: str,
    hidden: FilledProject,
    restricted: dict[str, httpx.Client],
    admin: httpx.Client,
) -> None:
    client = restricted[role]
    path = fill_path_in(version, route, hidden, hidden.code)
    readable = (version, route.path) in READABLE
    if readable:
        assert admin.get(path).status_code == 200, "the ids are B's real ones"

    response = _request(client, route, path)

    stand_in = unique_code()
    unknown = _request(client, route, fill_path_in(version, route, hidden, stand_in))
    assert unknown.status_code == 404, unknown.text
    _same_error(response, unknown, hidden.code, stand_in)
    if readable:
        assert admin.get(path).status_code == 200, "nothing was destroyed"


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_project_list_and_get(
    role: str, hidden: FilledProject, restricted: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    client = restricted[role]
    assert hidden.code not in set(project_codes(client))
    assert hidden.code in set(project_codes(admin))
    stand_in = unique_code()
    _same_error(
        client.get(f"/v1/project/{hidden.code}"),
        client.get(f"/v1/project/{stand_in}"),
        hidden.code,
        stand_in,
    )


@pytest.mark.parametrize("who", ["owner", "admin", "the granted member"])
def test_the_granted_user_and_all_project_roles_see_it(
    who: str, hidden: FilledProject, server: LiveServer, granted_user: User
) -> None:
    token = server.tokens[who] if who in ROLES else granted_user.token
    with make_client(server, token) as client:
        assert hidden.code in set(project_codes(client))
        cases = ok(client.get(f"/v1/case/{hidden.code}"))["entities"]
        assert [c["title"] for c in cases] == [f"Title {hidden.marker}"]


# --- Workspace-level routes -----------------------------------------------------------------


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_attachments_of_the_project_are_not_listed_nor_found(
    role: str, hidden: FilledProject, restricted: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    client = restricted[role]
    secret = hidden.hashes["attachment"]
    assert secret not in {a["hash"] for a in all_entities(client, "/v1/attachment")}
    for method in ("GET", "DELETE"):
        _same_error(
            client.request(method, f"/v1/attachment/{secret}"),
            client.request(method, f"/v1/attachment/{UNKNOWN_HASH}"),
            secret,
            UNKNOWN_HASH,
        )
    assert ok(admin.get(f"/v1/attachment/{secret}"))["hash"] == secret, "not deleted"


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_custom_fields_do_not_name_the_project(
    role: str, hidden: FilledProject, restricted: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    """Field definitions are workspace-wide; which hidden projects use them is not shown."""
    client = restricted[role]
    field_id = hidden.case_field_id
    for version in ("v1", "v2"):
        listed = {f["id"]: f for f in all_entities(client, f"/{version}/custom_field")}
        assert listed[field_id]["projects_codes"] == []
        assert ok(client.get(f"/{version}/custom_field/{field_id}"))["projects_codes"] == []
        assert ok(admin.get(f"/{version}/custom_field/{field_id}"))["projects_codes"] == [
            hidden.code
        ]


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_shared_parameters_of_the_project_alone_are_hidden(
    role: str, hidden: FilledProject, restricted: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    """A shared parameter enabled only in B is B's test data (its values may be logins): not
    listed, and a 404 to read, change or delete, as an unknown one. One also enabled in a
    project the caller sees is shown, without B's code; one enabled nowhere is everyone's."""
    client = restricted[role]
    secret = hidden.shared_parameter_id
    listed = {p["id"]: p for p in all_entities(client, "/v1/shared_parameter")}
    assert secret not in listed
    stand_in = str(uuid.uuid4())
    for method in ("GET", "PATCH", "DELETE"):
        change = {"title": "Changed"} if method == "PATCH" else None
        _same_error(
            client.request(method, f"/v1/shared_parameter/{secret}", json=change),
            client.request(method, f"/v1/shared_parameter/{stand_in}", json=change),
            secret,
            stand_in,
        )
    assert ok(admin.get(f"/v1/shared_parameter/{secret}"))["title"] == "Browser", "untouched"

    open_code = make_project(admin)
    body = {
        "title": "Accounts",
        "type": "single",
        "is_enabled_for_all_projects": False,
        "parameters": [{"title": "Login", "values": ["alice"]}],
    }
    shared = ok(
        admin.post("/v1/shared_parameter", json={**body, "project_codes": [open_code, hidden.code]})
    )["id"]
    nowhere = ok(admin.post("/v1/shared_parameter", json={**body, "project_codes": []}))["id"]
    listed = {p["id"]: p for p in all_entities(client, "/v1/shared_parameter")}
    assert listed[shared]["project_codes"] == [open_code]
    assert ok(client.get(f"/v1/shared_parameter/{shared}"))["project_codes"] == [open_code]
    assert listed[nowhere]["project_codes"] == []

    stand_in = unique_code()
    _same_error(
        client.get("/v1/shared_parameter", params={"filters[project_codes][]": hidden.code}),
        client.get("/v1/shared_parameter", params={"filters[project_codes][]": stand_in}),
        hidden.code,
        stand_in,
    )


def test_a_member_cannot_link_or_unlink_the_hidden_project(
    hidden: FilledProject,
    restricted: dict[str, httpx.Client],
    admin: httpx.Client,
    open_code: str,
) -> None:
    member = restricted["member"]
    body = {
        "title": "Browsers",
        "type": "single",
        "is_enabled_for_all_projects": False,
        "parameters": [{"title": "Browser", "values": ["Chrome"]}],
    }
    stand_in = unique_code()
    _same_error(
        member.post("/v1/shared_parameter", json={**body, "project_codes": [hidden.code]}),
        member.post("/v1/shared_parameter", json={**body, "project_codes": [stand_in]}),
        hidden.code,
        stand_in,
    )
    linked = [open_code, hidden.code]
    parameter = ok(admin.post("/v1/shared_parameter", json={**body, "project_codes": linked}))["id"]
    other_code = make_project(admin)
    ok(member.patch(f"/v1/shared_parameter/{parameter}", json={"project_codes": [other_code]}))
    assert ok(member.get(f"/v1/shared_parameter/{parameter}"))["project_codes"] == [other_code]
    # The link to B, which the member cannot see, is kept.
    codes = ok(admin.get(f"/v1/shared_parameter/{parameter}"))["project_codes"]
    assert sorted(codes) == sorted([other_code, hidden.code])


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_hashes_of_the_project_are_unknown_in_another_project(
    role: str, hidden: FilledProject, restricted: dict[str, httpx.Client], open_code: str
) -> None:
    """B's global hashes, asked through project A, are as unknown as made-up ones."""
    client = restricted[role]
    for path in ("/v1/result/{code}/{hash}", "/v1/shared_step/{code}/{hash}"):
        secret = hidden.hashes[path.split("/")[2]]
        _same_error(
            client.get(path.format(code=open_code, hash=secret)),
            client.get(path.format(code=open_code, hash=UNKNOWN_HASH)),
            secret,
            UNKNOWN_HASH,
        )
    results = ok(client.get(f"/v1/result/{open_code}", params={"run": hidden.numbers["run"]}))
    assert results["entities"] == []
    cases = ok(client.get(f"/v1/case/{open_code}", params={"search": hidden.marker}))
    assert cases["entities"] == []


def test_a_member_cannot_use_the_projects_hashes_elsewhere(
    hidden: FilledProject, restricted: dict[str, httpx.Client], admin: httpx.Client
) -> None:
    """B's attachments, shared steps and shared parameter, used in A, are refused exactly as
    made-up ones: the error tells nothing about B."""
    member = restricted["member"]
    open_code = make_project(admin)
    run = ok(admin.post(f"/v1/run/{open_code}", json={"title": "Nightly"}))["id"]
    unknown_uuid = str(uuid.uuid4())
    attachment = hidden.hashes["attachment"]
    # (path, body naming B's thing, the thing): the same body with a made-up one is the control.
    attempts = [
        (f"/v1/case/{open_code}", {"title": "x", "attachments": [attachment]}, attachment),
        (
            f"/v1/case/{open_code}",
            {"title": "x", "steps": [{"shared": hidden.hashes["shared_step"]}]},
            hidden.hashes["shared_step"],
        ),
        (
            f"/v1/case/{open_code}",
            {"title": "x", "parameters": [{"shared_id": hidden.shared_parameter_id}]},
            hidden.shared_parameter_id,
        ),
        (
            f"/v1/result/{open_code}/{run}",
            {"status": "passed", "case": {"title": "x"}, "attachments": [attachment]},
            attachment,
        ),
        (
            f"/v2/{open_code}/run/{run}/result",
            {"title": "x", "execution": {"status": "passed"}, "attachments": [attachment]},
            attachment,
        ),
    ]
    for path, body, secret in attempts:
        stand_in = unknown_uuid if secret == hidden.shared_parameter_id else UNKNOWN_HASH
        unknown = member.post(path, json=json.loads(json.dumps(body).replace(secret, stand_in)))
        assert unknown.status_code == 422, unknown.text
        _same_error(member.post(path, json=body), unknown, secret, stand_in)


# --- Download links and public runs (no token: the URL is the credential) -------------------


def test_attachment_download_needs_the_signed_url(hidden: FilledProject) -> None:
    """The signed URL is a capability: whoever holds it downloads, so only callers who may read
    the attachment are handed one (the tests above show the restricted ones never see it).
    Without the signature, or with a wrong one, B's file answers exactly as a missing one."""
    assert httpx.get(hidden.attachment_url).content == hidden.marker.encode()
    base, query = hidden.attachment_url.split("?", 1)
    unknown_base = base.replace(hidden.hashes["attachment"], UNKNOWN_HASH)
    expires = query.split("&")[0]
    for suffix in ("", f"?{expires}&signature=forged"):
        response = httpx.get(base + suffix)
        unknown = httpx.get(unknown_base + suffix)
        assert response.status_code == unknown.status_code == 403
        assert response.json() == unknown.json()


def test_public_run_links(hidden: FilledProject) -> None:
    """A run made public is readable by anyone holding its link, restricted project or not; a
    run made private again, or a made-up link, is a 404."""
    public = httpx.get(hidden.public_run_url)
    assert public.status_code == 200, public.text
    assert public.json()["result"]["project"]["code"] == hidden.code
    unknown_url = hidden.public_run_url.rsplit("/", 1)[0] + "/" + "x" * 32
    for url in (hidden.unpublished_run_url, unknown_url):
        response = httpx.get(url)
        assert response.status_code == 404
        assert response.json() == httpx.get(unknown_url).json()
