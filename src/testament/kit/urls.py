"""Absolute URLs this server hands out (attachment downloads, public run links)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request


def public_base_url(request: Request) -> str:
    """`TESTAMENT_PUBLIC_URL` when set (behind a proxy), else the URL the request came to."""
    configured = request.app.state.settings.public_url
    return str(configured or request.base_url).rstrip("/")


BaseUrl = Annotated[str, Depends(public_base_url)]
