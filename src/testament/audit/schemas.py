"""Audit log responses (our extension: no Qase counterpart)."""

from __future__ import annotations

from typing import Any

from testament.kit.schemas import ApiModel, WireDateTime


class AuditLogEntry(ApiModel):
    """One write: who (user, token or session), what (action on an entity), when, from where."""

    id: int
    occurred_at: WireDateTime
    user_id: int | None
    user_email: str | None  # null when the user no longer exists, or for operator commands
    user_name: str | None
    token_id: int | None
    via: str  # "token" | "session" | "cli"
    action: str
    entity_type: str
    entity_id: str
    project_code: str | None  # null for workspace entities, or when the project is gone
    remote_addr: str | None
    changes: dict[str, Any]


class AuditLogPage(ApiModel):
    """A page, newest first; pass `next_cursor` as `cursor` for the next one (null: last page)."""

    entities: list[AuditLogEntry]
    count: int
    next_cursor: str | None
