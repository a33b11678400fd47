"""The value format of each custom field type, shared by field values and default values.

Values are scalar strings (the contract's `CustomFieldValueMap`); `""` means no value (and an
unchecked checkbox) for every type.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.custom_fields import kinds
from testament.models.identity import User

STRING_MAX_LENGTH = 255
URL_MAX_LENGTH = 2048
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
URL_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*")


def normalize(field_type: int, option_ids: Collection[int], raw: str) -> str:
    """The value to store for `raw`; ValueError saying what is wrong with it."""
    if not isinstance(raw, str):
        raise ValueError("The value must be a string.")
    if raw == "":
        return raw
    if field_type == kinds.NUMBER:
        if NUMBER.fullmatch(raw.strip()) is None:
            raise ValueError(f"{raw!r} is not a number.")
        return raw.strip()
    if field_type == kinds.STRING and len(raw) > STRING_MAX_LENGTH:
        raise ValueError(f"A string value is at most {STRING_MAX_LENGTH} characters.")
    if field_type == kinds.CHECKBOX and raw != "1":
        raise ValueError('A checkbox value is "1" (checked) or "" (unchecked).')
    if field_type in (kinds.SELECTBOX, kinds.RADIO):
        return str(_option_id(raw, option_ids))
    if field_type == kinds.MULTISELECT:
        chosen = dict.fromkeys(_option_id(part, option_ids) for part in raw.split(","))
        return ",".join(str(option_id) for option_id in chosen)
    if field_type == kinds.URL:
        _check_url(raw)
    if field_type == kinds.USER:
        if not _is_id(raw.strip()):
            raise ValueError(f"{raw!r} is not a user id.")
        return str(int(raw))
    if field_type == kinds.DATETIME:
        _check_datetime(raw)
    return raw


def user_ids(field_type: int, value: str) -> list[int]:
    """The user ids a normalized value refers to (to check they exist)."""
    return [int(value)] if field_type == kinds.USER and value else []


def unknown_users(session: Session, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    found = session.scalars(select(User.id).where(User.id.in_(wanted))).all()
    return wanted - set(found)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _option_id(part: str, option_ids: Collection[int]) -> int:
    text = part.strip()
    if _is_id(text) and int(text) in option_ids:
        return int(text)
    allowed = ", ".join(str(option_id) for option_id in sorted(option_ids))
    raise ValueError(f"{text!r} is not an option id of this field (options: {allowed}).")


def _check_url(raw: str) -> None:
    parts = urlsplit(raw)
    if (
        len(raw) > URL_MAX_LENGTH
        or URL_SCHEME.fullmatch(parts.scheme) is None
        or not parts.netloc
        or any(char.isspace() for char in raw)
    ):
        raise ValueError(f"{raw!r} is not a URL (scheme://host/...).")


def _check_datetime(raw: str) -> None:
    for parse in (datetime.fromisoformat, date.fromisoformat):
        try:
            parse(raw.strip())
            return
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not an ISO 8601 date or date-time.")
