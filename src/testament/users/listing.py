"""The user list: what `GET /user` and the web UI call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.kit.envelope import ListResult
from testament.kit.pagination import PageParams, paginate
from testament.users import service
from testament.users.schemas import User


def list_users(session: Session, page: PageParams) -> ListResult[User]:
    """A page of every user by id."""
    return paginate(
        session,
        scope=service.list_statement(),
        filtered=None,
        page=page,
        to_entities=service.to_schemas,
    )
