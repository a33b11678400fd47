"""Checks every API request passes before anything else looks at it."""

from __future__ import annotations

from fastapi import Request

from testament.kit.errors import BadRequest, FieldError


def refuse_nul_characters(request: Request) -> None:
    """NUL in a path or query value cannot reach the database (PostgreSQL refuses it in text)."""
    if "\x00" in request.url.path or "%00" in request.url.query:
        raise BadRequest(
            "NUL characters are not allowed in the URL.",
            [FieldError("url", "contains a NUL character")],
        )
