"""The case list: what `GET /case/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases import read, repository
from testament.cases.filters import CaseFilters
from testament.cases.schemas import Case
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate


def list_cases(
    session: Session, ctx: ProjectContext, filters: CaseFilters, page: PageParams, *, base_url: str
) -> ListResult[Case]:
    """A page of the project's live cases by number, filtered; `base_url` signs attachment
    links."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=repository.live_cases(project_id),
        filtered=repository.filtered_cases(project_id, filters) if filters.any else None,
        page=page,
        to_entities=lambda cases: read.describe(session, cases, base_url),
    )
