"""Route dependencies: the token check, permission checks and the `{code}` -> project lookup.

Every `/v1` and `/v2` route declares exactly one permission through `require(...)` or
`project_access(...)`; `tests/test_routes.py` fails on a route that does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.dependencies.models import Dependant
from sqlalchemy import func, select

from testament.access.actor import Actor
from testament.access.permissions import ALL_PERMISSIONS
from testament.access.ratelimit import RateLimiter
from testament.access.secrets import hash_token
from testament.access.tokens import authenticate, needs_last_used_refresh, touch_token
from testament.access.visibility import visible_projects
from testament.db import Database
from testament.kit.edge import RATE_LIMIT_STATE
from testament.kit.errors import Forbidden, NotFound, Unauthorized
from testament.models.project import Project


def current_actor(
    request: Request,
    token: Annotated[str | None, Header(alias="Token", include_in_schema=False)] = None,
) -> Actor:
    """The caller, from the `Token` header (401 when missing or not valid), within its rate
    limit (429 beyond it).

    Looked up in a read transaction of its own, not the request's: on SQLite a write request's
    transaction takes the write lock at its first statement, and authentication, routing and
    body parsing need not hold it.
    """
    database: Database = request.app.state.database
    limiter: RateLimiter = request.app.state.rate_limiter
    remote_addr = request.client.host if request.client else None
    with database.session(write=False) as lookup:
        try:
            actor, last_used_at = authenticate(lookup, token)
        except Unauthorized:
            # Failed attempts spend the caller's address's budget: guessing is throttled too.
            limiter.spend(f"address:{remote_addr}")
            raise
    # Keyed by the token's hash, not its row id: unique even across deployments sharing a Redis.
    assert token is not None
    budget = limiter.spend(f"token:{hash_token(token)[:32]}", actor.rate_limit_per_minute)
    if budget is not None:
        setattr(request.state, RATE_LIMIT_STATE, budget.headers())  # kit.edge adds them
    actor = replace(actor, remote_addr=remote_addr)
    if actor.token_id is not None and needs_last_used_refresh(last_used_at):
        # Once a minute at most, a short write transaction of its own.
        with database.session(write=True) as write_session, write_session.begin():
            touch_token(write_session, actor.token_id)
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def _check(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise Forbidden(f"Forbidden: your role ({actor.role}) lacks the permission `{permission}`.")


def _known(permission: str) -> str:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission


def declared_permissions(dependant: Dependant) -> list[str]:
    """The permissions a route's dependency tree declares through `require`/`project_access`
    (each marks its dependency with `.permission`); the route-table tests read them here."""
    found = []
    for dependency in dependant.dependencies:
        permission = getattr(dependency.call, "permission", None)
        if permission is not None:
            found.append(permission)
        found += declared_permissions(dependency)
    return found


def require(permission: str) -> Callable[..., Actor]:
    """A dependency that lets the request through only with `permission` (403 otherwise)."""
    _known(permission)

    def dependency(actor: CurrentActor) -> Actor:
        _check(actor, permission)
        return actor

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


@dataclass(frozen=True)
class ProjectContext:
    """A project the actor may see, and the actor, for routes under `/{code}`."""

    project: Project
    actor: Actor


ProjectCode = Annotated[
    str, Path(min_length=2, max_length=10, description="Code of project, where to search entities.")
]


def find_visible_project(database: Database, actor: Actor, code: str) -> Project:
    """The project, read in a short transaction of its own (see `current_actor`); the row comes
    back detached, for its attributes only."""
    with database.session(write=False) as lookup:
        project = lookup.scalar(
            select(Project).where(func.upper(Project.code) == code.upper(), visible_projects(actor))
        )
    if project is None:
        raise NotFound(f"Project not found: no project with code {code.upper()}.")
    return project


def project_access(permission: str) -> Callable[..., ProjectContext]:
    """Turn `{code}` into a visible project (404 if absent or hidden), then check the permission.

    Visibility is checked first, so a caller learns nothing about projects hidden from it.
    """
    _known(permission)

    def dependency(request: Request, actor: CurrentActor, code: ProjectCode) -> ProjectContext:
        project = find_visible_project(request.app.state.database, actor, code)
        _check(actor, permission)
        return ProjectContext(project=project, actor=actor)

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def project_access_v2(permission: str) -> Callable[..., ProjectContext]:
    """`project_access` for the v2 routes, whose path names the code `{project_code}`."""
    _known(permission)

    def dependency(
        request: Request, actor: CurrentActor, project_code: ProjectCode
    ) -> ProjectContext:
        project = find_visible_project(request.app.state.database, actor, project_code)
        _check(actor, permission)
        return ProjectContext(project=project, actor=actor)

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency
