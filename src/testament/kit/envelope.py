"""The Qase success envelope: `{"status": true, "result": ...}`."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel
from starlette.responses import Response

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


def json_response(envelope: BaseModel) -> Response:
    """Serialize once. FastAPI would validate a returned model against `response_model` again
    (in another thread hop for sync routes); hot routes return this instead, and keep
    `response_model` for the OpenAPI document."""
    return Response(envelope.model_dump_json(by_alias=True), media_type="application/json")
