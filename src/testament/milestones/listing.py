"""The milestone list: what `GET /milestone/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.milestones import service
from testament.milestones.filters import MilestoneFilters
from testament.milestones.schemas import Milestone


def list_milestones(
    session: Session, ctx: ProjectContext, filters: MilestoneFilters, page: PageParams
) -> ListResult[Milestone]:
    """A page of the project's milestones by number, searched by title."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=service.list_statement(project_id),
        filtered=service.filtered_statement(project_id, filters),
        page=page,
        to_entities=service.to_schemas,
    )
