"""`GET /v1/audit_log`: our extension (Qase has no audit log API), for owners and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from testament.access.actor import Actor
from testament.audit import service
from testament.audit.filters import AuditFilters
from testament.audit.schemas import AuditLogPage
from testament.http.deps import SessionDep, require
from testament.http.responses import json_response
from testament.kit.envelope import Envelope
from testament.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT
from testament.kit.repository import ID_MAX

router = APIRouter(prefix="/audit_log", tags=["audit log"])

CanReadAuditLog = Annotated[Actor, Depends(require("audit_log.read"))]
INSTANT = "An ISO-8601 datetime (naive means UTC) or unix seconds; inclusive."


@router.get(
    "",
    operation_id="list-audit-log",
    response_model=Envelope[AuditLogPage],
    responses={404: {"description": "Not Found: `project` names no project you can see."}},
)
def list_audit_log(
    actor: CanReadAuditLog,
    session: SessionDep,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="A number of entries in result set.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
    ] = None,
    user_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    project: Annotated[str | None, Query(max_length=10, description="A project code.")] = None,
    occurred_from: Annotated[
        str | None, Query(alias="from", max_length=64, description=INSTANT)
    ] = None,
    occurred_to: Annotated[
        str | None, Query(alias="to", max_length=64, description=INSTANT)
    ] = None,
) -> object:
    """List the audit log, newest first, filtered; walk it with `cursor`."""
    filters = AuditFilters.from_query(
        user_id=user_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        project=project,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    page = service.list_entries(session, actor, filters, limit=limit, cursor=cursor)
    return json_response(Envelope(result=page))
