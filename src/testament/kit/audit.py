"""The one seam where change events are recorded: the audit trail of every write.

Every service that changes something calls one of these, inside the transaction of the write:

    audit.created(session, actor, "case", number, project_id=..., changes={"title": ...})
    audit.updated(session, actor, "case", number, project_id=..., changes=update_changes(...))
    audit.deleted(session, actor, "case", number, project_id=...)
    audit.event(session, actor, "complete", "run", number, project_id=..., changes=...)

`created`, `updated` and `deleted` store the actions "create", "update" and "delete"; `event`
stores one of the other actions named in `Action` (granting access, completing a run, a review's
verdict, maintenance on and off ...). The stored action strings are part of the API (the audit
log shows and filters by them): they never change. A batch records one event for the batch, not
one per row, where it does so today (a results bulk is one "create" of the run's results).

Because every change passes through here in its own transaction, this is where a webhook outbox
row will be written alongside the entry (the same transaction, delivered after commit).
`entity_id` is what clients call the entity (a per-project number, a hash, a code), never a
global id they cannot see. Callers pass only what is safe to keep in `changes`: never secrets.
An `actor` of None is an operator command (stored as via "cli").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.kit.schemas import to_wire_datetime
from testament.models.identity import AuditEntry

# The actions besides create, update and delete, as stored.
Action = Literal[
    "add_member",
    "attach_external_issues",
    "complete",
    "decline",
    "detach_external_issues",
    "grant_access",
    "link_external_issue",
    "maintenance_off",
    "maintenance_on",
    "merge",
    "publish",
    "remove_member",
    "resolve",
    "revoke",
    "revoke_access",
    "status",
    "unpublish",
    "verdict",
]

# Columns an update's diff leaves out: keys and bookkeeping written on every change, and foreign
# keys (global ids no client sees; services record the per-project number that was sent instead).
BOOKKEEPING_COLUMNS = frozenset(
    {"id", "project_id", "number", "created_at", "updated_at", "revision", "updated_by", "position"}
)
# Never kept, whatever the row: password and token hashes, the secret of a public run link.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "public_hash"})
# An entry says what changed, it is not a copy of the data: long texts are cut, and lists longer
# than this (or lists of objects, such as steps) are kept as their length.
MAX_TEXT = 1000
MAX_LISTED = 20


def created(
    session: Session,
    actor: Actor | None,
    entity_type: str,
    entity_id: str | int,
    *,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record that `actor` created the entity (action "create")."""
    _record(session, actor, "create", entity_type, entity_id, project_id, changes)


def updated(
    session: Session,
    actor: Actor | None,
    entity_type: str,
    entity_id: str | int,
    *,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record that `actor` changed the entity (action "update"); see update_changes()."""
    _record(session, actor, "update", entity_type, entity_id, project_id, changes)


def deleted(
    session: Session,
    actor: Actor | None,
    entity_type: str,
    entity_id: str | int,
    *,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record that `actor` deleted the entity (action "delete")."""
    _record(session, actor, "delete", entity_type, entity_id, project_id, changes)


def event(
    session: Session,
    actor: Actor | None,
    action: Action,
    entity_type: str,
    entity_id: str | int,
    *,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record another kind of change (one of `Action`) that `actor` made to the entity."""
    _record(session, actor, action, entity_type, entity_id, project_id, changes)


def _record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: str | int,
    project_id: int | None,
    changes: dict[str, Any] | None,
) -> None:
    session.add(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            token_id=actor.token_id if actor else None,
            via="token" if actor else "cli",
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            project_id=project_id,
            remote_addr=actor.remote_addr if actor else None,
            changes=changes or {},
        )
    )


def plain(value: Any) -> Any:
    """`value` as a small JSON value for `changes` (see MAX_TEXT and MAX_LISTED)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "... (cut)"
    if isinstance(value, datetime):
        return to_wire_datetime(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, BaseModel):
        return plain(value.model_dump(mode="json"))
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        scalars = all(item is None or isinstance(item, str | int | float) for item in items)
        return (
            [plain(item) for item in items] if scalars and len(items) <= MAX_LISTED else len(items)
        )
    return str(value)


def snapshot(row: object) -> dict[str, Any]:
    """The row's own columns, to compare after an update: no bookkeeping, foreign key, secret or
    deferred (not loaded) columns."""
    values = {}
    for attribute in inspect(row).mapper.column_attrs:
        column = attribute.columns[0]
        if (
            attribute.key in BOOKKEEPING_COLUMNS
            or attribute.key in SECRET_COLUMNS
            or attribute.deferred
            or column.foreign_keys
        ):
            continue
        values[attribute.key] = plain(getattr(row, attribute.key))
    return values


def update_changes(before: Mapping[str, Any], row: object, data: BaseModel) -> dict[str, Any]:
    """What an update did: `{"column": {"old": x, "new": y}}` for each of the row's own columns
    that changed since `snapshot()` gave `before`, and the new value of every other field the
    client sent (references by the number the client gave, lists of objects by their length)."""
    after = snapshot(row)
    changes: dict[str, Any] = {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }
    for name in sorted(data.model_fields_set):
        if name not in after and name not in SECRET_COLUMNS:
            changes[name] = {"new": plain(getattr(data, name))}
    return changes
