"""Maintenance mode: writes are answered with 503 and `Retry-After` while reads go on.

Switched on for every app instance at once by `testament maintenance on` (a row in
`instance_state`), or for one deployment by the `maintenance` setting. Each process rereads the
row at most every `maintenance_refresh_seconds` (2 by default), so a write request costs no extra
query.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.db import Database
from testament.models.instance import InstanceState

STATE_NAME = "maintenance"
DEFAULT_RETRY_AFTER = 300


@dataclass(frozen=True)
class Maintenance:
    on: bool
    message: str = ""
    retry_after: int = DEFAULT_RETRY_AFTER
    since: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "message": self.message,
            "retry_after": self.retry_after,
            "since": self.since.isoformat() if self.since else None,
        }


OFF = Maintenance(on=False)


def read_state(session: Session) -> Maintenance:
    row = session.scalar(select(InstanceState).where(InstanceState.name == STATE_NAME))
    if row is None or not row.value.get("on"):
        return OFF
    since = row.value.get("since")
    return Maintenance(
        on=True,
        message=str(row.value.get("message") or ""),
        retry_after=int(row.value.get("retry_after") or DEFAULT_RETRY_AFTER),
        since=datetime.fromisoformat(since) if since else None,
    )


def write_state(session: Session, on: bool, message: str = "", retry_after: int = 0) -> Maintenance:
    """Switch maintenance on or off for every instance (seen within their refresh time)."""
    state = (
        Maintenance(
            on=True,
            message=message,
            retry_after=retry_after or DEFAULT_RETRY_AFTER,
            since=datetime.now(UTC),
        )
        if on
        else OFF
    )
    row = session.get(InstanceState, STATE_NAME)
    if row is None:
        session.add(InstanceState(name=STATE_NAME, value=state.as_json()))
    else:
        row.value = state.as_json()
    return state


class MaintenanceSwitch:
    """This process's cached view of the switch."""

    def __init__(self, database: Database, forced: bool, refresh_seconds: float) -> None:
        self._database = database
        self._forced = forced
        self._refresh_seconds = refresh_seconds
        self._state = OFF
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> Maintenance:
        if self._forced:
            return Maintenance(on=True, message="Maintenance mode is set in the server settings.")
        now = time.monotonic()
        if now - self._read_at >= self._refresh_seconds:
            with self._lock:
                if now - self._read_at >= self._refresh_seconds:
                    with self._database.session(write=False) as session:
                        self._state = read_state(session)
                    self._read_at = now
        return self._state
