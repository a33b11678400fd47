"""Lookups every numbered, project-scoped entity shares (suites, milestones, cases, runs ...)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from testament.kit.errors import Invalid

# `number` is a 32-bit column: a larger id names nothing, and must not reach the database, where
# binding it as INTEGER fails.
NUMBER_MAX = 2**31 - 1
# Global ids are 64-bit.
ID_MAX = 2**63 - 1
# Numbers looked up per query: well under every backend's bound-parameter limit.
LOOKUP_CHUNK = 1000

M = TypeVar("M")


def by_number(
    session: Session, model: type[M], project_id: int, number: int, *where: ColumnElement[bool]
) -> M | None:
    """The entity `number` of the project, or None."""
    if not 1 <= number <= NUMBER_MAX:
        return None
    entity: Any = model
    return session.scalar(
        select(model).where(entity.project_id == project_id, entity.number == number, *where)
    )


def id_for_number(
    session: Session,
    model: type[Any],
    project_id: int,
    number: int | None,
    *,
    field: str,
    label: str,
    where: tuple[ColumnElement[bool], ...] = (),
) -> int | None:
    """The global id behind a number a client sent (None for None); 422 naming `field`."""
    if number is None:
        return None
    entity = by_number(session, model, project_id, number, *where)
    if entity is None:
        raise Invalid.field(field, f"{label} {number} not found in this project.")
    return int(entity.id)


def numbers_for_ids(session: Session, model: type[Any], ids: Collection[int]) -> dict[int, int]:
    """Global id -> the number clients see, in one query."""
    if not ids:
        return {}
    rows = session.execute(select(model.id, model.number).where(model.id.in_(set(ids))))
    return {row[0]: row[1] for row in rows}


def ids_for_numbers(
    session: Session,
    model: type[Any],
    project_id: int,
    numbers: Iterable[int],
    *where: ColumnElement[bool],
) -> dict[int, int]:
    """Number -> global id of the project's entities among `numbers` (those found; a number out
    of range names nothing), in a query per thousand numbers."""
    wanted = sorted({n for n in numbers if 1 <= n <= NUMBER_MAX})
    found: dict[int, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = session.execute(
            select(model.number, model.id).where(
                model.project_id == project_id,
                model.number.in_(wanted[start : start + LOOKUP_CHUNK]),
                *where,
            )
        )
        found.update({row[0]: row[1] for row in rows})
    return found


def points_to_numbers(
    column: Any, model: type[Any], project_id: int, numbers: Collection[int]
) -> ColumnElement[bool]:
    """A filter: `column`, a foreign key to `model`, points at one of the project's entities
    numbered `numbers` (none for an empty collection); one subquery, no lookup first."""
    condition: ColumnElement[bool] = column.in_(
        select(model.id).where(model.project_id == project_id, model.number.in_(list(numbers)))
    )
    return condition
