"""The run list: what `GET /run/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.runs import read, repository
from testament.runs.filters import RunFilters
from testament.runs.schemas import Run


def list_runs(
    session: Session,
    ctx: ProjectContext,
    filters: RunFilters,
    page: PageParams,
    *,
    include_cases: bool = False,
) -> ListResult[Run]:
    """A page of the project's runs, newest first, filtered; `include_cases` adds each run's
    case ids."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.project_runs(project_id),
        filtered=repository.filtered_runs(project_id, filters) if filters.any else None,
        page=page,
        to_entities=lambda runs: read.describe(session, runs, include_cases=include_cases),
    )
