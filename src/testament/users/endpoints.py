"""`/v1/user` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from testament.access.actor import Actor
from testament.http.deps import Page, SessionDep, require
from testament.kit.envelope import Envelope, ListResult
from testament.kit.repository import ID_MAX
from testament.users import listing, service
from testament.users.schemas import User

router = APIRouter(prefix="/user", tags=["users"])

CanReadUsers = Annotated[Actor, Depends(require("user.read"))]


@router.get("", operation_id="get-users", response_model=Envelope[ListResult[User]])
def get_users(_actor: CanReadUsers, session: SessionDep, page: Page) -> object:
    """List users."""
    return Envelope(result=listing.list_users(session, page))


@router.get("/{id}", operation_id="get-user", response_model=Envelope[User])
def get_user(
    _actor: CanReadUsers, session: SessionDep, id: Annotated[int, Path(ge=1, le=ID_MAX)]
) -> object:
    """Get a user by id."""
    return Envelope(result=service.to_schema(service.get_user(session, id)))
