"""The result list: what `GET /result/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.results import read, repository
from testament.results.filters import ResultFilters
from testament.results.schemas import Result


def list_results(
    session: Session,
    ctx: ProjectContext,
    filters: ResultFilters,
    page: PageParams,
    *,
    base_url: str,
) -> ListResult[Result]:
    """A page of the project's results, newest first, filtered; `base_url` signs attachment
    links."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.project_results(project_id),
        filtered=repository.filtered_results(project_id, filters) if filters.any else None,
        page=page,
        to_entities=lambda results: read.describe(session, results, base_url),
    )
