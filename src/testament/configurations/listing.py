"""The configuration list: what `GET /configuration/{code}` and the web UI call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.configurations import service
from testament.configurations.schemas import ConfigurationGroup
from testament.kit.envelope import ListResult


def list_configuration_groups(
    session: Session, ctx: ProjectContext
) -> ListResult[ConfigurationGroup]:
    """Every configuration group of the project with its configurations, both by id (not
    paged: see the route)."""
    groups = service.list_groups(session, ctx.project.id)
    total = len(groups)
    return ListResult[ConfigurationGroup](total=total, filtered=total, count=total, entities=groups)
