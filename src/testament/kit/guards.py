"""Checks every API request passes before anything else looks at it."""

from __future__ import annotations

import re

from fastapi import Request

from testament.kit.errors import BadRequest, FieldError


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


async def refuse_nul_in_json(request: Request) -> None:
    """NUL in a JSON body cannot be stored either; checked once on the raw bytes, which is far
    cheaper than walking every parsed string (Starlette keeps the body for the route)."""
    if "json" not in request.headers.get("content-type", ""):
        return
    if _JSON_NUL.search(await request.body()):
        raise BadRequest(
            "NUL characters (\\u0000) are not allowed in the request body.",
            [FieldError("body", "contains a NUL character")],
        )
