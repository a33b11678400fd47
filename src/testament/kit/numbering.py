"""Per-project numbering: case 1 of project A and case 1 of project B both exist.

One counter row per (project, kind), bumped with `UPDATE ... RETURNING` inside the request's
transaction: on PostgreSQL the row lock serializes concurrent inserts per project, on SQLite the
write transaction (BEGIN IMMEDIATE) does. A unique (project_id, number) constraint backs it up.
"""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from testament.kit.concurrency import insert_or_ignore
from testament.kit.errors import Invalid
from testament.kit.repository import NUMBER_MAX
from testament.models.project import ProjectCounter


def next_project_numbers(session: Session, project_id: int, kind: str, count: int = 1) -> range:
    """Reserve `count` consecutive numbers of `kind` in the project and return them."""
    if count < 1:
        return range(0)
    bump = (
        update(ProjectCounter)
        .where(
            ProjectCounter.project_id == project_id,
            ProjectCounter.kind == kind,
            # Numbers stop at NUMBER_MAX (an imported case may take it): past it, PostgreSQL's
            # integer column overflows and SQLite would hand out numbers no route can reach.
            ProjectCounter.last_number <= NUMBER_MAX - count,
        )
        .values(last_number=ProjectCounter.last_number + count)
        .returning(ProjectCounter.last_number)
    )
    last = session.scalar(bump)
    if last is None:
        # Counter rows are created with the project (`start_counters`); a kind added after the
        # project was created gets its row here. ON CONFLICT lets two first writers both pass.
        _insert_counter_if_missing(session, project_id, kind)
        last = session.scalar(bump)
        if last is None:
            raise Invalid(
                f"Data is invalid: the project has no {kind} numbers left "
                f"(they stop at {NUMBER_MAX})."
            )
    return range(last - count + 1, last + 1)


def _insert_counter_if_missing(session: Session, project_id: int, kind: str) -> None:
    session.execute(
        insert_or_ignore(session, ProjectCounter).values(
            project_id=project_id, kind=kind, last_number=0
        )
    )


def next_project_number(session: Session, project_id: int, kind: str) -> int:
    return next_project_numbers(session, project_id, kind)[0]


COUNTER_KINDS = (
    "suite",
    "case",
    "milestone",
    "plan",
    "run",
    "defect",
    "environment",
    "configuration_group",
    "configuration",
    "review",
)


def start_counters(session: Session, project_id: int) -> None:
    """Create the project's counter rows up front so later bumps never race on the insert."""
    session.execute(
        insert(ProjectCounter),
        [{"project_id": project_id, "kind": kind, "last_number": 0} for kind in COUNTER_KINDS],
    )
