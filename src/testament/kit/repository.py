"""Lookups every numbered, project-scoped entity shares (suites, milestones, cases, runs ...)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from testament.kit.errors import Invalid

# `number` is a 32-bit column: a larger id names nothing, and must not reach the database, where
# binding it as INTEGER fails.
NUMBER_MAX = 2**31 - 1
# Global ids are 64-bit.
ID_MAX = 2**63 - 1

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


def title_contains(model: type[Any], search: str) -> ColumnElement[bool]:
    """Case-insensitive substring match on `title`, with `%` and `_` taken literally."""
    condition: ColumnElement[bool] = func.lower(model.title).contains(
        search.lower(), autoescape=True
    )
    return condition
