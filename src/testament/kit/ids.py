"""Public identifiers the server hands out."""

from __future__ import annotations

import secrets


def new_public_hash() -> str:
    """A 40-hex-character random id, the shape of Qase's step and result hashes."""
    return secrets.token_hex(20)
