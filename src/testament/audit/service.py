"""Reading the audit log: filters, an id cursor (newest first), one query per page."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.visibility import visible_projects
from testament.audit.filters import AuditFilters
from testament.audit.schemas import AuditLogEntry, AuditLogPage
from testament.kit.errors import BadRequest, NotFound
from testament.kit.repository import ID_MAX
from testament.models.identity import AuditEntry, User
from testament.models.project import Project

CURSOR_PREFIX = "before:"


def encode_cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id the next page starts below; 400 for anything this server did not hand out."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not number.isdigit() or not 1 <= int(number) <= ID_MAX:
        raise BadRequest.parameter("cursor", "not a cursor from `next_cursor`")
    return int(number)


def project_id_for(session: Session, actor: Actor | None, code: str) -> int:
    """The project behind `code`: 404 when absent or hidden from `actor` (None: an operator on
    the database, who sees every project)."""
    statement = select(Project.id).where(func.upper(Project.code) == code.upper())
    if actor is not None:
        statement = statement.where(visible_projects(actor))
    project_id = session.scalar(statement)
    if project_id is None:
        raise NotFound(f"Project not found: no project with code {code.upper()}.")
    return project_id


def _conditions(
    session: Session, actor: Actor | None, filters: AuditFilters
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if actor is not None and not actor.sees_all_projects:
        # A role given `audit_log.read` that does not see every project: nothing of the others.
        visible = select(Project.id).where(visible_projects(actor))
        conditions.append(AuditEntry.project_id.is_(None) | AuditEntry.project_id.in_(visible))
    if filters.user_id is not None:
        conditions.append(AuditEntry.user_id == filters.user_id)
    if filters.entity_type is not None:
        conditions.append(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        conditions.append(AuditEntry.entity_id == filters.entity_id)
    if filters.action is not None:
        conditions.append(AuditEntry.action == filters.action)
    if filters.project is not None:
        conditions.append(AuditEntry.project_id == project_id_for(session, actor, filters.project))
    if filters.occurred_from is not None:
        conditions.append(AuditEntry.occurred_at >= filters.occurred_from)
    if filters.occurred_to is not None:
        conditions.append(AuditEntry.occurred_at <= filters.occurred_to)
    return conditions


def list_entries(
    session: Session,
    actor: Actor | None,
    filters: AuditFilters,
    *,
    limit: int,
    cursor: str | None = None,
) -> AuditLogPage:
    """A page of entries, newest first. The cursor is an entry id: entries written meanwhile get
    higher ids, so a walk through the pages sees every older entry exactly once."""
    if (
        filters.occurred_from
        and filters.occurred_to
        and filters.occurred_to < filters.occurred_from
    ):
        raise BadRequest.parameter("to", "must not be before `from`")
    conditions = _conditions(session, actor, filters)
    if cursor is not None:
        conditions.append(AuditEntry.id < decode_cursor(cursor))
    rows = session.execute(
        select(AuditEntry, User.email, User.name, Project.code)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .outerjoin(Project, Project.id == AuditEntry.project_id)
        .where(*conditions)
        .order_by(AuditEntry.id.desc())
        .limit(limit + 1)  # one more than asked: is there a next page?
    ).all()
    page = rows[:limit]
    entities = [_describe(entry, email, name, code) for entry, email, name, code in page]
    more = len(rows) > limit
    return AuditLogPage(
        entities=entities,
        count=len(entities),
        next_cursor=encode_cursor(entities[-1].id) if more and entities else None,
    )


def _describe(
    entry: AuditEntry, email: str | None, name: str | None, code: str | None
) -> AuditLogEntry:
    changes: dict[str, Any] = entry.changes or {}
    return AuditLogEntry(
        id=entry.id,
        occurred_at=entry.occurred_at,
        user_id=entry.user_id,
        user_email=email,
        user_name=name,
        token_id=entry.token_id,
        via=entry.via,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        project_code=code,
        remote_addr=entry.remote_addr,
        changes=changes,
    )
