"""Append-only audit trail of writes. Callers pass only what is safe to keep: never secrets."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.models.identity import AuditEntry


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: str | int,
    *,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
    via: str = "token",
) -> None:
    session.add(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            token_id=actor.token_id if actor else None,
            via=via if actor else "cli",
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            project_id=project_id,
            remote_addr=actor.remote_addr if actor else None,
            changes=changes or {},
        )
    )
