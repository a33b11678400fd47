"""Checks every request to a router passes before anything else looks at it.

`ROUTER_GUARDS` are mounted on every router of the app (the API's, the public links', the web
UI's), so no router that writes can skip them; a test walks the route table to prove it.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import Depends, Request

from testament.db import READ_METHODS
from testament.kit.errors import BadRequest, FieldError, Invalid, ServiceUnavailable
from testament.maintenance import MaintenanceSwitch


def refuse_nul_characters(request: Request) -> None:
    """NUL in a path or query value cannot reach the database (PostgreSQL refuses it in text)."""
    if "\x00" in request.url.path or "%00" in request.url.query:
        raise BadRequest(
            "NUL characters are not allowed in the URL.",
            [FieldError("url", "contains a NUL character")],
        )


# `\u0000` in JSON text, unless its backslash is itself escaped (`\\u0000` is a backslash
# followed by "u0000"). Raw NUL bytes are not valid JSON, so this is the only way one arrives.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _nul_path(value: Any, path: str = "") -> str | None:
    """Where the first string holding a NUL sits: `title`, `results[3].steps[0].action`."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            key_path = f"{path}.{key}" if path else str(key)
            found = _nul_path(key, key_path) or _nul_path(item, key_path)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


async def refuse_nul_in_json(request: Request) -> None:
    """NUL in a JSON body cannot be stored either. The raw bytes are searched once (cheap);
    only a body that has one is parsed, to name the field (422, like any invalid value)."""
    if "json" not in request.headers.get("content-type", ""):
        return
    body = await request.body()
    if not _JSON_NUL.search(body):
        return
    try:
        field = _nul_path(orjson.loads(body)) or "body"
    except orjson.JSONDecodeError:
        return  # malformed JSON: the body parser answers that with its own 400
    raise Invalid.field(field, "NUL characters (\\u0000) are not allowed")


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
    Depends(refuse_nul_in_json),
)
