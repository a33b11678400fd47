"""The Qase success envelope: `{"status": true, "result": ...}`."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

from testament.kit.schemas import ApiModel

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    status: bool = True
    result: T


class StatusOnly(BaseModel):
    """The envelope with no result, as Qase answers deletes: `{"status": true}`."""

    status: bool = True


class ListResult(ApiModel, Generic[T]):
    """A page of a list: `total` in scope, `filtered` after filters, `count` on this page."""

    total: int
    filtered: int
    count: int
    entities: list[T]
