"""Author schemas as the contract's `Author`."""

from __future__ import annotations

from pydantic import Field

from testament.kit.schemas import ApiModel


class Author(ApiModel):
    id: int
    uuid: str = Field(description="Author UUID. Use it to reference the author.")
    author_id: int = Field(description="Deprecated, use `uuid` instead. Same as `id`.")
    entity_type: str
    entity_id: int
    email: str
    name: str
    is_active: bool
