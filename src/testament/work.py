"""One unit of work outside an HTTP request: a transaction, and the actor's project context.

Operator commands, background jobs and tests that call services directly all run services the
same way a request does: one transaction, committed when the block ends without an error and
rolled back when it raises, so a failing command writes nothing.

    with unit_of_work(database, actor, "DEMO", "case.create") as (session, ctx):
        cases.create_case(session, ctx, body)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import overload

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext, open_project
from testament.db import Database


@overload
def unit_of_work(
    database: Database, actor: Actor, code: str, permission: str, *, write: bool = True
) -> AbstractContextManager[tuple[Session, ProjectContext]]: ...


@overload
def unit_of_work(
    database: Database,
    actor: Actor | None = None,
    code: None = None,
    permission: None = None,
    *,
    write: bool = True,
) -> AbstractContextManager[tuple[Session, None]]: ...


def unit_of_work(
    database: Database,
    actor: Actor | None = None,
    code: str | None = None,
    permission: str | None = None,
    *,
    write: bool = True,
) -> AbstractContextManager[tuple[Session, ProjectContext | None]]:
    """A transaction (a write one unless `write=False`) and, given a project `code`, the actor's
    context in it, checked as a request's would be (404 hidden or absent, 403 short of
    `permission`). Committed when the block ends, rolled back when it raises."""
    if code is not None and (actor is None or permission is None):
        raise ValueError("a project context needs an actor and a permission")
    return _unit_of_work(database, actor, code, permission, write)


@contextmanager
def _unit_of_work(
    database: Database,
    actor: Actor | None,
    code: str | None,
    permission: str | None,
    write: bool,
) -> Iterator[tuple[Session, ProjectContext | None]]:
    with database.session(write=write) as session, session.begin():
        context = None
        if code is not None:
            assert actor is not None and permission is not None
            context = open_project(session, actor, code, permission)
        yield session, context
