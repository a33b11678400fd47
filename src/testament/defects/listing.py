"""The defect list: what `GET /defect/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.defects import repository, service
from testament.defects.filters import DefectFilters
from testament.defects.schemas import Defect
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_defects(
    session: Session,
    ctx: ProjectContext,
    filters: DefectFilters,
    page: PageParams,
    *,
    base_url: str,
) -> ListResult[Defect]:
    """A page of the project's defects by number, filtered; `base_url` signs attachment links."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.list_statement(project_id),
        filtered=repository.filtered_statement(project_id, filters),
        page=page,
        to_entities=lambda defects: service.describe(session, defects, base_url),
    )
