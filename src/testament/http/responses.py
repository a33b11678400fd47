"""Responses built once, bypassing FastAPI's second validation on hot routes."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def json_response(envelope: BaseModel) -> Response:
    """Serialize once. FastAPI would validate a returned model against `response_model` again
    (in another thread hop for sync routes); hot routes return this instead, and keep
    `response_model` for the OpenAPI document."""
    return Response(envelope.model_dump_json(by_alias=True), media_type="application/json")
