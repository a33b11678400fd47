"""The project list: what `GET /project` and the web UI call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.projects import service
from testament.projects.schemas import Project


def list_projects(session: Session, actor: Actor, page: PageParams) -> ListResult[Project]:
    """A page of the projects `actor` can see, oldest first, with their counts."""
    return paginate(
        session,
        scope=service.visible_statement(actor),
        filtered=None,
        page=page,
        to_entities=lambda projects: service.describe(session, projects),
    )
