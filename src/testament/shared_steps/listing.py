"""The shared step list: what `GET /shared_step/{code}`, the web UI and the query language call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.shared_steps import render, service
from testament.shared_steps.filters import SharedStepFilters
from testament.shared_steps.schemas import SharedStep


def list_shared_steps(
    session: Session,
    ctx: ProjectContext,
    filters: SharedStepFilters,
    page: PageParams,
    *,
    base_url: str,
) -> ListResult[SharedStep]:
    """A page of the project's shared steps, oldest first, searched by title; `base_url` signs
    attachment links."""
    project_id = ctx.project.id
    return paginate(
        session,
        scope=service.list_statement(project_id),
        filtered=service.filtered_statement(project_id, filters),
        page=page,
        to_entities=lambda found: render.describe(session, found, base_url),
    )
