"""User schemas as the contract's `User`."""

from __future__ import annotations

from pydantic import Field

from testament.kit.schemas import ApiModel

USER_ACTIVE = 1
USER_INACTIVE = 0


class User(ApiModel):
    id: int
    name: str
    email: str
    title: str
    status: int = Field(description="1 active, 0 deactivated.")
