"""Checks every request to a router passes before anything else looks at it.

`ROUTER_GUARDS` are mounted on every router of the app (the API's, the public links', the web
UI's), so no router that writes can skip them; a test walks the route table to prove it.
"""

from __future__ import annotations

from fastapi import Depends, Request

from testament.db import READ_METHODS
from testament.http.bodies import ResultBodyRequest
from testament.kit.errors import BadRequest, FieldError, Invalid, ServiceUnavailable
from testament.kit.json_text import first_unstorable, may_hold_unstorable
from testament.maintenance import MaintenanceSwitch


def refuse_nul_characters(request: Request) -> None:
    """NUL in a path or query value cannot reach the database (PostgreSQL refuses it in text)."""
    if "\x00" in request.url.path or "%00" in request.url.query:
        raise BadRequest(
            "NUL characters are not allowed in the URL.",
            [FieldError("url", "contains a NUL character")],
        )


async def refuse_unstorable_json(request: Request) -> None:
    """NUL, a lone UTF-16 surrogate, NaN or Infinity in a JSON body: 422 naming the field
    (`kit.json_text`). The raw bytes are searched once (cheap); only a body that may hold one is
    parsed. Routes that take results repair lone surrogates before this (`http.bodies`)."""
    if "json" not in request.headers.get("content-type", ""):
        return
    body = await request.body()
    if not may_hold_unstorable(body, numbers_are_typed=isinstance(request, ResultBodyRequest)):
        return
    found = first_unstorable(body)
    if found is not None:
        raise Invalid.field(*found)


def refuse_writes_in_maintenance(request: Request) -> None:
    """Route dependency: 503 for a write while maintenance mode is on."""
    if request.method in READ_METHODS:
        return
    switch: MaintenanceSwitch = request.app.state.maintenance
    state = switch.current()
    if state.on:
        note = f" {state.message}" if state.message else ""
        raise ServiceUnavailable(
            f"Testament is in maintenance mode: writes are paused, reads go on.{note} "
            f"Retry in {state.retry_after} seconds.",
            headers={"Retry-After": str(state.retry_after)},
        )


# In this order: the URL, maintenance (before a body is read), then the JSON body.
ROUTER_GUARDS = (
    Depends(refuse_nul_characters),
    Depends(refuse_writes_in_maintenance),
    Depends(refuse_unstorable_json),
)
