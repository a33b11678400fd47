"""`testament audit list`: the audit log, read from the database (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from testament.audit import service
from testament.audit.filters import AuditFilters, parse_instant
from testament.audit.schemas import AuditLogEntry
from testament.db import Database
from testament.kit.errors import TestamentError
from testament.kit.schemas import as_utc
from testament.migrate import require_current_schema
from testament.settings import Settings
from testament.work import unit_of_work

CHANGES_WIDTH = 80
COLUMNS = ("ID", "WHEN (UTC)", "WHO", "VIA", "ACTION", "ENTITY", "PROJECT", "FROM", "CHANGES")


def audit_list(
    *,
    filters: dict[str, Any],
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
    database_url: str | None,
    data_dir: Path | None,
) -> None:
    """Print the newest `limit` entries matching the filters: JSON lines, or a table."""
    overrides: dict[str, Any] = {"database_url": database_url, "data_dir": data_dir}
    database = Database(Settings(**{k: v for k, v in overrides.items() if v is not None}))
    try:
        require_current_schema(database.engine)
        audit_filters = AuditFilters(
            **filters,
            occurred_from=parse_instant("--since", since),
            occurred_to=parse_instant("--until", until),
        )
        with unit_of_work(database, write=False) as (session, _):
            page = service.list_entries(session, None, audit_filters, limit=limit)
    except TestamentError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        database.engine.dispose()
    if as_json:
        for entry in page.entities:
            typer.echo(entry.model_dump_json())
        return
    _print_table([_row(entry) for entry in page.entities])
    if page.next_cursor is not None:
        typer.echo(f"(older entries not shown: raise --limit ({limit}) or set --until)", err=True)


def _row(entry: AuditLogEntry) -> tuple[str, ...]:
    who = entry.user_email or (f"user {entry.user_id}" if entry.user_id else "operator")
    changes = json.dumps(entry.changes, ensure_ascii=False, separators=(",", ":"))
    if len(changes) > CHANGES_WIDTH:
        changes = changes[: CHANGES_WIDTH - 3] + "..."
    return (
        str(entry.id),
        as_utc(entry.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
        who,
        entry.via if entry.token_id is None else f"{entry.via} {entry.token_id}",
        entry.action,
        f"{entry.entity_type} {entry.entity_id}",
        entry.project_code or "-",
        entry.remote_addr or "-",
        changes,
    )


def _print_table(rows: list[tuple[str, ...]]) -> None:
    if not rows:
        typer.echo("no audit log entries match", err=True)
        return
    widths = [max(len(cell) for cell in column) for column in zip(COLUMNS, *rows, strict=True)]
    for row in (COLUMNS, *rows):
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
