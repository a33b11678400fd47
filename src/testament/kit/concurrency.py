"""Writes that may race with the same write in another request.

On SQLite every write transaction holds the database lock from its first statement (BEGIN
IMMEDIATE), so these races cannot happen there; on PostgreSQL they can, and these helpers close
them. `insert_or_ignore` and `upsert` are the only places that pick a dialect's INSERT: both
dialects spell `ON CONFLICT` the same way, but SQLAlchemy builds it per dialect.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def _dialect_insert(session: Session, model: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


def insert_or_ignore(session: Session, model: Any) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING`: a row a concurrent request added first is kept (a
    conflict on any unique constraint is ignored)."""
    statement: Insert = _dialect_insert(session, model).on_conflict_do_nothing()
    return statement


def upsert(
    session: Session, model: Any, *, conflict_columns: Sequence[str], update: Sequence[str]
) -> Insert:
    """`INSERT ... ON CONFLICT (conflict_columns) DO UPDATE`: a row that exists already (or a
    concurrent request added first) takes the inserted values of the `update` columns."""
    statement = _dialect_insert(session, model)
    upserted: Insert = statement.on_conflict_do_update(
        index_elements=list(conflict_columns),
        set_={name: statement.excluded[name] for name in update},
    )
    return upserted


def lock_project_for(session: Session, project_id: int, purpose: str) -> None:
    """Serialize one kind of find-or-create within a project until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{purpose}:{project_id}".encode())
        session.execute(_ADVISORY_LOCK, {"key": key})
