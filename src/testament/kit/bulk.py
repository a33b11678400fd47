"""Set-based inserts for the hottest paths (result ingestion), straight to the DB driver.

SQLAlchemy's executemany spends more Python time per row (parameter processing, type binding)
than SQLite spends storing it; for batches of thousands of rows the statement is built once
here and the values are converted once, the way the column types would have.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.orm import Session

from testament.db import dump_json


def _sqlite_datetime(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format; values are stored in UTC without an offset.
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT every row (dicts with the same keys) with one driver-level executemany."""
    if not rows:
        return
    columns = list(rows[0])
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    marker = "?" if sqlite else "%s"
    json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )

    def convert(name: str, value: Any) -> Any:
        if value is None:
            return None
        if name in json_columns:
            return dump_json(value)
        if sqlite and isinstance(value, datetime):
            return _sqlite_datetime(value)
        return value

    connection.exec_driver_sql(
        sql, [tuple(convert(name, row[name]) for name in columns) for row in rows]
    )
