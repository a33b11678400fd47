"""Services called directly, as a request of some role would call them, on a live server's
database: the one way tests run services in-process (the `acting` fixture in conftest).

    with acting("DEMO", "member") as (session, ctx):
        cases.create_case(session, ctx, CaseCreate(title="x"))

Committed when the block ends, rolled back when it raises: `testament.work.unit_of_work`, the
same unit of work operator commands and workers use, with the actor a role's token stands for.
What the API does not show (stored columns, audit entries) is read with `under_the_api`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.tokens import authenticate
from testament.models.identity import AuditEntry
from testament.models.project import Project
from testament.work import unit_of_work
from tests.live import LiveServer

# Every role holds it: opening a project checks visibility only, unless a test asks for more.
ANY_ROLE_PERMISSION = "project.read"


class Acting(Protocol):
    def __call__(
        self,
        code: str,
        role: str = "admin",
        permission: str = ANY_ROLE_PERMISSION,
        *,
        commit: bool = True,
    ) -> AbstractContextManager[tuple[Session, ProjectContext]]: ...


def actor_of(server: LiveServer, role: str) -> Actor:
    """The actor behind `role`'s token on `server`."""
    with server.database().session(write=False) as session:
        actor, _ = authenticate(session, server.tokens[role])
    return actor


class _RollBack(Exception):
    """Ends a `commit=False` block, so the unit of work rolls it back as it would an error."""


@contextmanager
def acting(
    server: LiveServer,
    code: str,
    role: str = "admin",
    permission: str = ANY_ROLE_PERMISSION,
    *,
    commit: bool = True,
) -> Iterator[tuple[Session, ProjectContext]]:
    """A unit of work in project `code` as `role`: 404 if the role cannot see the project, 403
    if it lacks `permission`, exactly as for a request. `commit=False` rolls back even a block
    that ends normally (to look at what a service would write, and leave nothing)."""
    try:
        with unit_of_work(server.database(), actor_of(server, role), code, permission) as opened:
            yield opened
            if not commit:
                raise _RollBack
    except _RollBack:
        pass


@contextmanager
def under_the_api(server: LiveServer, *, write: bool = False) -> Iterator[Session]:
    """A unit of work in no project: reads of what the API does not show, or (`write=True`) the
    few rows no service writes at all (group memberships, a token's expiry in the past)."""
    with unit_of_work(server.database(), write=write) as (session, _):
        yield session


def project_id(session: Session, code: str) -> int:
    """The global id of project `code`."""
    found = session.scalar(select(Project.id).where(func.upper(Project.code) == code.upper()))
    assert found is not None, code
    return found


def audit_trail(
    server: LiveServer, code: str | None, entity_type: str, entity_id: str | int | None = None
) -> list[tuple[str, str]]:
    """`(action, entity_id)` of project `code`'s audit entries about `entity_type` (and only
    `entity_id`, if given), oldest first; `code=None` for entries outside any project."""
    with under_the_api(server) as session:
        query = (
            select(AuditEntry.action, AuditEntry.entity_id)
            .where(AuditEntry.entity_type == entity_type)
            .order_by(AuditEntry.id)
        )
        if code is None:
            query = query.where(AuditEntry.project_id.is_(None))
        else:
            query = query.where(AuditEntry.project_id == project_id(session, code))
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == str(entity_id))
        return [(action, entity) for action, entity in session.execute(query)]


def audit_actions(
    server: LiveServer, code: str | None, entity_type: str, entity_id: str | int
) -> list[str]:
    """The actions the audit log records on one entity of project `code` (None: of no
    project), oldest first."""
    return [action for action, _ in audit_trail(server, code, entity_type, entity_id)]
