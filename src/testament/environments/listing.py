"""The environment list: what `GET /environment/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.environments import service
from testament.environments.filters import EnvironmentFilters
from testament.environments.schemas import Environment
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_environments(
    session: Session, ctx: ProjectContext, filters: EnvironmentFilters, page: PageParams
) -> ListResult[Environment]:
    """A page of the project's environments by number, by title and slug."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=service.list_statement(project_id),
        filtered=service.filtered_statement(project_id, filters),
        page=page,
        to_entities=service.to_schemas,
    )
