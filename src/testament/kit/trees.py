"""Nested rows (steps of a case, items of a shared step) written set-based: a whole forest in
one INSERT per nesting level, however many rows it has.

A row points at its parent through `parent_id` and is numbered 1..n among its siblings in
`position`. Each level is inserted with one executemany whose RETURNING gives the new ids; the
rows of the next level take their parents' ids from it. RETURNING rows come back in no promised
order (SQLAlchemy keeps parameter order only by falling back to a statement per row on SQLite),
so they are matched to their parameters by a key unique within the forest, such as
(case_id, hash).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from testament.models.base import Base


@dataclass
class TreeRow:
    """A row to insert (its column values, without `parent_id` and `position`) and the rows
    nested under it, in position order."""

    values: dict[str, Any]
    children: list[TreeRow] = field(default_factory=list)
    id: int | None = None  # set by insert_forest


def insert_forest(
    session: Session, model: type[Base], roots: Sequence[TreeRow], key: Sequence[str]
) -> list[TreeRow]:
    """Insert `roots` and everything nested under them (list order is position order, 1..n per
    level); set each TreeRow's `id`. The `key` columns must tell the rows apart within the forest.
    Answers every row, parents before their children."""
    table = cast(Table, model.__table__)
    written: list[TreeRow] = []
    level: list[tuple[TreeRow, int | None, int]] = [
        (row, None, position) for position, row in enumerate(roots, start=1)
    ]
    statement = insert(table).returning(table.c.id, *(table.c[name] for name in key))
    while level:
        by_key = {tuple(row.values[name] for name in key): row for row, _, _ in level}
        if len(by_key) != len(level):
            raise ValueError(f"rows of a forest share a key {tuple(key)}")
        parameters = [
            {**row.values, "parent_id": parent_id, "position": position}
            for row, parent_id, position in level
        ]
        for new_id, *row_key in session.execute(statement, parameters):
            by_key[tuple(row_key)].id = new_id
        written += [row for row, _, _ in level]
        level = [
            (child, row.id, position)
            for row, _, _ in level
            for position, child in enumerate(row.children, start=1)
        ]
    return written
