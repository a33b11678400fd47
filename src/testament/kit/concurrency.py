"""Writes that may race with the same write in another request.

On SQLite every write transaction holds the database lock from its first statement (BEGIN
IMMEDIATE), so these races cannot happen there; on PostgreSQL they can, and these helpers close
them.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def insert_or_ignore(session: Session, model: Any) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING`: a row a concurrent request added first is kept."""
    dialect_insert = (
        postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    return dialect_insert(model).on_conflict_do_nothing()


def lock_project_for(session: Session, project_id: int, purpose: str) -> None:
    """Serialize one kind of find-or-create within a project until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{purpose}:{project_id}".encode())
        session.execute(_ADVISORY_LOCK, {"key": key})
