"""The filters of the audit log, typed: read from `GET /audit_log`'s query (or the command
line's options) here, and built the same way by the web UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from testament.kit.errors import BadRequest
from testament.kit.timestamps import parse_datetime_or_unix


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    project: str | None = None  # a project code
    occurred_from: datetime | None = None  # inclusive, UTC
    occurred_to: datetime | None = None  # inclusive, UTC

    @classmethod
    def from_query(
        cls,
        *,
        user_id: int | None = None,
        entity_type: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        project: str | None = None,
        occurred_from: str | None = None,
        occurred_to: str | None = None,
    ) -> AuditFilters:
        """From the query parameters: `from` and `to` are ISO-8601 or unix seconds; 400 naming
        the parameter."""
        return cls(
            user_id=user_id,
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            project=project,
            occurred_from=parse_instant("from", occurred_from),
            occurred_to=parse_instant("to", occurred_to),
        )


def parse_instant(name: str, raw: str | None) -> datetime | None:
    """An ISO-8601 datetime (naive means UTC) or unix seconds, as UTC; 400 naming `name`."""
    if raw is None:
        return None
    try:
        return parse_datetime_or_unix(raw)
    except ValueError:
        raise BadRequest.parameter(name, "an ISO-8601 datetime or unix seconds") from None
