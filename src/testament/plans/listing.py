"""The plan list: what `GET /plan/{code}` and the web UI call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.plans import repository, service
from testament.plans.schemas import Plan


def list_plans(session: Session, ctx: ProjectContext, page: PageParams) -> ListResult[Plan]:
    """A page of the project's plans by number, with their case counts."""
    return paginate(
        session,
        scope=repository.list_statement(ctx.project.id),
        filtered=None,
        page=page,
        to_entities=lambda plans: service.describe(session, plans),
    )
