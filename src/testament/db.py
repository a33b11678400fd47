"""Engine and sessions (the request's transaction is `http.deps.SessionDep`).

SQLite is tuned for a server: WAL (readers never block the writer), foreign keys on, a busy
timeout so writers queue, and write requests start with `BEGIN IMMEDIATE` so a read-then-write
transaction takes the lock up front instead of failing with SQLITE_BUSY halfway.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from testament.settings import Settings

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalize_database_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def dump_json(value: Any) -> str:
    """The text of a JSON column."""
    # JSON columns are written by the thousand during result ingestion: orjson, not json.
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        # orjson refuses integers wider than 64 bits, which JSON (and a client's free-form
        # `settings` or `parameters`) may hold; the standard library writes them.
        return json.dumps(value, ensure_ascii=False, allow_nan=False)


def create_db_engine(settings: Settings) -> Engine:
    url = normalize_database_url(settings.effective_database_url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=20, json_serializer=dump_json
        )

    in_memory = make_url(url).database in (None, "", ":memory:")
    if not in_memory:
        settings.ensure_dirs()
    engine = create_engine(
        url,
        connect_args={
            "check_same_thread": False,
            "timeout": settings.sqlite_busy_timeout_ms / 1000,
        },
        json_serializer=dump_json,
        **({} if in_memory else {"pool_size": 16, "max_overflow": 16}),
    )
    busy_timeout = int(settings.sqlite_busy_timeout_ms)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so the "begin" hook below decides how to BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """The engine plus a session factory for reads and one for writes."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_db_engine(settings)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        write_engine = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(write_engine, expire_on_commit=False)

    def session(self, *, write: bool = True) -> Session:
        return (self.write_sessions if write else self.read_sessions)()
