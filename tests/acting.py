"""Services called directly, as a request of some role would call them, on a live server's
database: the one way tests run services in-process (the `acting` fixture in conftest).

    with acting("DEMO", "member") as (session, ctx):
        cases.create_case(session, ctx, CaseCreate(title="x"))

Committed when the block ends, rolled back when it raises: `testament.work.unit_of_work`, the
same unit of work operator commands and workers use, with the actor a role's token stands for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.tokens import authenticate
from testament.work import unit_of_work
from tests.live import LiveServer

# Every role holds it: opening a project checks visibility only, unless a test asks for more.
ANY_ROLE_PERMISSION = "project.read"


class Acting(Protocol):
    def __call__(
        self, code: str, role: str = "admin", permission: str = ANY_ROLE_PERMISSION
    ) -> AbstractContextManager[tuple[Session, ProjectContext]]: ...


def actor_of(server: LiveServer, role: str) -> Actor:
    """The actor behind `role`'s token on `server`."""
    with server.database().session(write=False) as session:
        actor, _ = authenticate(session, server.tokens[role])
    return actor


@contextmanager
def acting(
    server: LiveServer, code: str, role: str = "admin", permission: str = ANY_ROLE_PERMISSION
) -> Iterator[tuple[Session, ProjectContext]]:
    """A unit of work in project `code` as `role`: 404 if the role cannot see the project, 403
    if it lacks `permission`, exactly as for a request."""
    with unit_of_work(server.database(), actor_of(server, role), code, permission) as opened:
        yield opened
