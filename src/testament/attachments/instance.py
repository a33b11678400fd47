"""Installation-wide random values (`instance_secrets`), created on first use.

Every app instance reads the same rows, so a URL signed by one instance verifies on another.
The values never change once stored, so each process keeps those it has read, per database.
"""

from __future__ import annotations

import secrets
import threading
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Pool, select
from sqlalchemy.orm import Session

from testament.kit.concurrency import insert_or_ignore
from testament.models.instance import InstanceSecret

URL_KEY = "attachment_url_key"
TEAM = "team"
_RANDOM_BYTES = {URL_KEY: 32, TEAM: 20}

# Keyed by the engine's pool: one per database, shared by the read and the write engine.
_known: WeakKeyDictionary[Pool, dict[str, str]] = WeakKeyDictionary()
_known_lock = threading.Lock()
# Set on a session that inserted values it has not committed: it must not remember what it reads.
_UNCOMMITTED = "testament.instance_values_uncommitted"


def _holds_sqlite_write_lock(bind: Engine) -> bool:
    """True inside a SQLite write request (`BEGIN IMMEDIATE`, see testament.db)."""
    return bind.dialect.name == "sqlite" and (
        bind.get_execution_options().get("sqlite_begin") == "IMMEDIATE"
    )


def _read(session: Session, names: list[str]) -> dict[str, str]:
    statement = select(InstanceSecret.name, InstanceSecret.value).where(
        InstanceSecret.name.in_(names)
    )
    return {name: value for name, value in session.execute(statement)}


def _insert_missing(session: Session, names: list[str]) -> dict[str, str]:
    rows = [{"name": n, "value": secrets.token_hex(_RANDOM_BYTES[n])} for n in names]
    # Two instances may create a value at once: the first insert wins, both read the winner.
    session.execute(insert_or_ignore(session, InstanceSecret).values(rows))
    return _read(session, names)


def _remember(pool: Pool, values: dict[str, str]) -> None:
    with _known_lock:
        _known.setdefault(pool, {}).update(values)


def instance_values(session: Session, *names: str) -> dict[str, str]:
    """The values named, creating the missing ones (no query once this process has read them)."""
    bind = session.get_bind()
    assert isinstance(bind, Engine)
    known = _known.get(bind.pool, {})
    if all(name in known for name in names):
        return {name: known[name] for name in names}
    wanted = list(names)
    found = _read(session, wanted)
    if not session.info.get(_UNCOMMITTED):
        _remember(bind.pool, found)
    missing = [n for n in wanted if n not in found]
    if not missing:
        return found
    if _holds_sqlite_write_lock(bind):
        # A second connection would wait for the lock this very request holds. The values
        # commit with the request, so they are remembered only once read back later.
        session.info[_UNCOMMITTED] = True
        found.update(_insert_missing(session, missing))
        return found
    # Committed on its own: a read request's transaction must not turn into a write.
    with Session(bind=bind) as own, own.begin():
        created = _insert_missing(own, missing)
    _remember(bind.pool, created)
    found.update(created)
    return found
