"""API token and password primitives. Nothing here logs or returns a secret it did not create."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "tmt_"
_password_hasher = PasswordHasher()


def new_token_secret() -> str:
    """A fresh token: a recognisable prefix (for secret scanners) and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return str(_password_hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(_password_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
