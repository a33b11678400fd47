"""The shared parameter list: what `GET /shared_parameter`, the web UI and the query language
call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.shared_parameters import service
from testament.shared_parameters.filters import SharedParameterFilters
from testament.shared_parameters.schemas import SharedParameter


def list_shared_parameters(
    session: Session, actor: Actor, filters: SharedParameterFilters, page: PageParams
) -> ListResult[SharedParameter]:
    """A page of the shared parameters `actor` may see, oldest first, filtered."""
    return paginate(
        session,
        scope=service.list_statement(actor),
        filtered=service.filtered_statement(session, actor, filters),
        page=page,
        to_entities=lambda found: service.describe(session, actor, found),
    )
