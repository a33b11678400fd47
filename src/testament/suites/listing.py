"""The suite list: what `GET /suite/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.suites import repository, service
from testament.suites.filters import SuiteFilters
from testament.suites.schemas import Suite


def list_suites(
    session: Session, ctx: ProjectContext, filters: SuiteFilters, page: PageParams
) -> ListResult[Suite]:
    """A page of the project's suites by number, searched by title."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.list_statement(project_id),
        filtered=repository.filtered_statement(project_id, filters),
        page=page,
        to_entities=lambda suites: service.describe(session, suites),
    )
