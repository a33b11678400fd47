"""Helpers for the access tests: users made with the CLI, a project full of data, a leak watch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.routing import APIRoute

from tests.factories import make_project, unique_code
from tests.live import LiveServer, run_testament

PAGE = 100


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def done(response: httpx.Response) -> None:
    """A success without a result (`{"status": true}`)."""
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True


def all_entities(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every entity of a list endpoint, page after page."""
    entities: list[dict[str, Any]] = []
    while True:
        page = ok(client.get(path, params={**params, "limit": PAGE, "offset": len(entities)}))
        entities += page["entities"]
        if page["count"] < PAGE:
            return entities


def user_id(api: httpx.Client, email: str) -> int:
    return int(next(u["id"] for u in all_entities(api, "/v1/user") if u["email"] == email))


@dataclass(frozen=True)
class User:
    email: str
    id: int
    token: str


def create_user(server: LiveServer, api: httpx.Client, role: str = "member") -> User:
    """A user of its own (with a token), made as operators do: with the CLI."""
    email = f"{role}-{unique_code().lower()}@example.com"
    done = run_testament(
        "user", "create", "--email", email, "--name", "Someone Else", "--role", role, "--token",
        env=server.env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return User(email=email, id=user_id(api, email), token=done.stdout.strip())


@dataclass
class LeakWatch:
    """A response hook: fails on any response carrying one of `secrets`, unless the request
    itself named it (a 404 may echo the code or hash it was asked about)."""

    secrets: set[str] = field(default_factory=set)

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        asked = str(response.request.url) + response.request.content.decode("utf-8", "replace")
        for secret in self.secrets:
            if secret not in asked and secret in response.text:
                raise AssertionError(
                    f"{response.request.method} {response.request.url} -> {response.status_code} "
                    f"leaks {secret!r}: {response.text[:500]}"
                )


@dataclass(frozen=True)
class FilledProject:
    """A project with one of everything, as the admin made it."""

    code: str
    marker: str  # in every title and text of the project's own entities
    numbers: dict[str, int]  # per-project ids, by resource (the first path segment)
    hashes: dict[str, str]  # hashes, by resource
    attachment_url: str  # signed, as the API handed it to the admin
    public_run_url: str  # a run made public
    unpublished_run_url: str  # a run made public, then private again
    case_field_id: int  # a custom field enabled in this project only
    shared_parameter_id: str  # a shared parameter enabled in this project only

    @property
    def secrets(self) -> set[str]:
        """What must never reach a user the project is hidden from."""
        values = {self.code, self.marker, self.shared_parameter_id, *self.hashes.values()}
        values |= {url.split("?", 1)[1] for url in (self.attachment_url,)}
        values |= {url.rsplit("/", 1)[1] for url in (self.public_run_url, self.unpublished_run_url)}
        return values


def fill_project(api: httpx.Client, **project_fields: object) -> FilledProject:
    """A project (restricted unless told) holding one entity of each kind, made by `api`."""
    marker = f"marker{unique_code(10).lower()}"
    code = make_project(api, title=f"Project {marker}", access="none", **project_fields)
    files = [("file[]", (f"{marker}.txt", marker.encode(), "text/plain"))]
    attachment = ok(api.post(f"/v1/attachment/{code}", files=files))[0]
    field_id = ok(
        api.post(
            "/v1/custom_field",
            json={"title": "Area", "entity": 0, "type": 1, "projects_codes": [code]},
        )
    )["id"]
    parameter = ok(
        api.post(
            "/v1/shared_parameter",
            json={
                "title": "Browser",
                "type": "single",
                "is_enabled_for_all_projects": False,
                "project_codes": [code],
                "parameters": [{"title": "Browser", "values": ["Chrome", "Firefox"]}],
            },
        )
    )["id"]
    title = f"Title {marker}"
    suite = ok(api.post(f"/v1/suite/{code}", json={"title": title}))["id"]
    milestone = ok(api.post(f"/v1/milestone/{code}", json={"title": title}))["id"]
    shared_step = ok(
        api.post(
            f"/v1/shared_step/{code}",
            json={"title": title, "steps": [{"action": marker, "expected_result": marker}]},
        )
    )["hash"]
    case = ok(
        api.post(
            f"/v1/case/{code}",
            json={
                "title": title,
                "description": marker,
                "suite_id": suite,
                "milestone_id": milestone,
                "attachments": [attachment["hash"]],
                "custom_field": {str(field_id): marker},
                "steps": [{"action": marker}, {"shared": shared_step}],
                "parameters": [{"shared_id": parameter}],
            },
        )
    )["id"]
    environment = ok(api.post(f"/v1/environment/{code}", json={"title": title, "slug": marker}))[
        "id"
    ]
    group = ok(api.post(f"/v1/configuration/{code}/group", json={"title": title}))["id"]
    ok(api.post(f"/v1/configuration/{code}", json={"title": title, "group_id": group}))
    plan = ok(api.post(f"/v1/plan/{code}", json={"title": title, "cases": [case]}))["id"]
    run = ok(
        api.post(
            f"/v1/run/{code}",
            json={
                "title": title,
                "cases": [case],
                "environment_id": environment,
                "milestone_id": milestone,
                "plan_id": plan,
            },
        )
    )["id"]
    result = ok(
        api.post(
            f"/v1/result/{code}/{run}",
            json={
                "status": "failed",
                "case_id": case,
                "comment": marker,
                "attachments": [attachment["hash"]],
            },
        )
    )["hash"]
    defect = ok(
        api.post(
            f"/v1/defect/{code}",
            json={
                "title": title,
                "actual_result": marker,
                "severity": 3,
                "attachments": [attachment["hash"]],
            },
        )
    )["id"]
    review = ok(api.post(f"/v1/review/{code}", json={"proposed_case": {"title": title}}))["id"]
    public_run = ok(api.post(f"/v1/run/{code}", json={"title": title, "cases": [case]}))["id"]
    public_url = ok(api.patch(f"/v1/run/{code}/{public_run}/public", json={"status": True}))["url"]
    unpublished = ok(api.post(f"/v1/run/{code}", json={"title": title}))["id"]
    unpublished_url = ok(api.patch(f"/v1/run/{code}/{unpublished}/public", json={"status": True}))[
        "url"
    ]
    done(api.patch(f"/v1/run/{code}/{unpublished}/public", json={"status": False}))
    return FilledProject(
        code=code,
        marker=marker,
        numbers={
            "suite": suite,
            "milestone": milestone,
            "case": case,
            "environment": environment,
            "plan": plan,
            "run": run,
            "result": run,  # /result/{code}/{id}: the run's id
            "defect": defect,
            "review": review,
        },
        hashes={"shared_step": shared_step, "result": result, "attachment": attachment["hash"]},
        attachment_url=attachment["url"],
        public_run_url=public_url,
        unpublished_run_url=unpublished_url,
        case_field_id=field_id,
        shared_parameter_id=parameter,
    )


def resource_of(route: APIRoute) -> str:
    """The resource a route is about: its first literal path segment."""
    return next(part for part in route.path.split("/") if part and not part.startswith("{"))


def fill_path_in(version: str, route: APIRoute, project: FilledProject, code: str) -> str:
    """The route's path with `code` and the ids of `project`'s own entities."""
    resource = resource_of(route)

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name in ("code", "project_code"):
            return code
        if name == "hash":
            return project.hashes[resource]
        if name in ("id", "run_id"):
            return str(project.numbers[resource])
        raise AssertionError(f"{route.path}: no value for {{{name}}}: teach fill_path_in")

    return f"/{version}" + re.sub(r"\{(\w+)\}", value, route.path)


def project_codes(client: httpx.Client) -> Iterator[str]:
    for project in all_entities(client, "/v1/project"):
        yield str(project["code"])
