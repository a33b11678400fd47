"""Timestamps as clients send them, read once for every resource: ISO-8601 (Qase's
`Y-m-d H:i:s` is a form of it) and unix seconds, always as UTC.

The parsers raise `ValueError`; each caller turns it into the error of its kind of input (a 422
naming a body field, `body_datetime`, or a 400 naming a query parameter), with its own wording.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from testament.kit.errors import Invalid
from testament.kit.schemas import as_utc

UNIX_SECONDS = re.compile(r"\d+(\.\d+)?")


def parse_datetime(text: str) -> datetime:
    """ISO-8601 or `Y-m-d H:i:s` (a `Z` or an offset, or none: UTC), in UTC."""
    parsed = datetime.fromisoformat(text)
    try:
        # In UTC: SQLite keeps datetimes without their offset, so `+02:00` would read back as UTC.
        return as_utc(parsed)
    except OverflowError as exc:  # 9999-12-31T23:00:00-02:00 is past the last year
        raise ValueError(f"{text} is out of range") from exc


def from_unix(seconds: float) -> datetime:
    """Unix seconds as a UTC datetime; `ValueError` beyond the years a datetime holds."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"{seconds} is out of range for a unix time") from exc


def parse_datetime_or_unix(text: str) -> datetime:
    """Unix seconds (digits, maybe a fraction) or an ISO-8601 datetime, in UTC; blanks around are
    ignored."""
    text = text.strip()
    if UNIX_SECONDS.fullmatch(text):
        return from_unix(float(text))
    return parse_datetime(text)


def body_datetime(field: str, value: str | None) -> datetime | None:
    """A body field's datetime (None for None); 422 naming `field`."""
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        raise Invalid.field(field, "use ISO-8601 or `Y-m-d H:i:s`") from None
