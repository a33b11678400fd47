"""Route dependencies: the request's transaction, the token check, permission checks, the
`{code}` -> project lookup, the page and the public base URL.

Every `/v1` and `/v2` route declares exactly one permission through `require(...)` or
`project_access(...)`; `tests/test_routes.py` fails on a route that does not.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.dependencies.models import Dependant
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import (
    ProjectContext,
    check_permission,
    find_visible_project,
    known_permission,
)
from testament.access.ratelimit import RateLimiter
from testament.access.secrets import hash_token
from testament.access.tokens import authenticate, needs_last_used_refresh, touch_token
from testament.db import READ_METHODS, Database
from testament.http.edge import RATE_LIMIT_STATE
from testament.kit.errors import Unauthorized
from testament.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageParams


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent.

    Declared with `scope="function"` below: the commit runs right after the route returns, so a
    failed commit becomes an error response instead of a 200 for data that was never stored.
    """
    database: Database = request.app.state.database
    session = database.session(write=request.method not in READ_METHODS)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


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
            limiter.spend(
                f"address:{remote_addr}",
                who="failed authentication from this address is limited to",
            )
            raise
    # Keyed by the token's hash, not its row id: unique even across deployments sharing a Redis.
    assert token is not None
    budget = limiter.spend(f"token:{hash_token(token)[:32]}", actor.rate_limit_per_minute)
    if budget is not None:
        setattr(request.state, RATE_LIMIT_STATE, budget.headers())  # http.edge adds them
    actor = replace(actor, remote_addr=remote_addr)
    if actor.token_id is not None and needs_last_used_refresh(last_used_at):
        # Once a minute at most, a short write transaction of its own.
        with database.session(write=True) as write_session, write_session.begin():
            touch_token(write_session, actor.token_id)
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


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
    known_permission(permission)

    def dependency(actor: CurrentActor) -> Actor:
        check_permission(actor, permission)
        return actor

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


PROJECT_CODE = Path(
    min_length=2, max_length=10, description="Code of project, where to search entities."
)


def project_access(permission: str, *, path_name: str = "code") -> Callable[..., ProjectContext]:
    """Turn the project code in the path (`{code}`, or `{project_code}` on v2 routes) into the
    caller's context in a project it may see (404 if absent or hidden), then check the
    permission (403): `access.context.open_project`, with the project read in a short read
    transaction of its own (see `current_actor`), detached, for its attributes only."""
    known_permission(permission)

    def dependency(request: Request, actor: Actor, **path: str) -> ProjectContext:
        database: Database = request.app.state.database
        with database.session(write=False) as lookup:
            project = find_visible_project(lookup, actor, path[path_name])
        check_permission(actor, permission)
        return ProjectContext(project=project, actor=actor)

    # FastAPI reads the parameters from the signature: the path parameter takes the route's name.
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", positional, annotation=Request),
            inspect.Parameter("actor", positional, annotation=CurrentActor),
            inspect.Parameter(path_name, positional, annotation=Annotated[str, PROJECT_CODE]),
        ],
        return_annotation=ProjectContext,
    )
    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="A number of entities in result set.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="How many entities should be skipped.")
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Page = Annotated[PageParams, Depends(page_params)]


# A `Host` header as RFC 9110 spells it: a name or an IPv4 or bracketed IPv6 address, a port.
_HOST_HEADER = re.compile(
    r"^(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>[0-9]{1,5}))?$"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@cache
def _allowed_hosts(spec: str) -> frozenset[str]:
    """`"testament.example.com, *"` -> names, lowercased (`*`: any host)."""
    return frozenset(part.strip().lower() for part in spec.split(",") if part.strip())


def public_base_url(request: Request) -> str:
    """Where returned links point: `TESTAMENT_PUBLIC_URL` when set (behind a proxy); else the
    request's `Host` when `TESTAMENT_ALLOWED_HOSTS` names it; else the address the connection
    reached, which the client evidently can reach. (`Host` is the client's to choose: taken
    as it comes, anyone could have the server hand out links to their own host.)"""
    settings = request.app.state.settings
    if settings.public_url:
        return str(settings.public_url).rstrip("/")
    scheme = request.url.scheme
    root_path = request.scope.get("root_path", "").rstrip("/")
    host = request.headers.get("host", "")
    allowed = _allowed_hosts(settings.allowed_hosts)
    match = _HOST_HEADER.match(host) if allowed else None
    if match and ("*" in allowed or match["name"].lower() in allowed):
        return f"{scheme}://{host}{root_path}"
    server = request.scope.get("server")
    if not server:
        return f"{scheme}://localhost{root_path}"  # a Unix socket: set the public URL
    address, port = server[0], server[1]
    shown = f"[{address}]" if ":" in address else address
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        shown += f":{port}"
    return f"{scheme}://{shown}{root_path}"


BaseUrl = Annotated[str, Depends(public_base_url)]
