"""The attachment list: what `GET /attachment` and the web UI call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.attachments import service
from testament.attachments.schemas import AttachmentGet
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_attachments(
    session: Session, actor: Actor, page: PageParams, *, base_url: str
) -> ListResult[AttachmentGet]:
    """A page of the attachments of every project `actor` can see, oldest first; `base_url`
    signs their links."""
    return paginate(
        session,
        scope=service.visible_statement(actor),
        filtered=None,
        page=page,
        to_entities=lambda rows: service.describe(session, rows, base_url),
    )
