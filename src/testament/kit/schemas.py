"""Base schema and wire types shared by every resource."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes: they are UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def to_wire_datetime(value: datetime) -> str:
    """Qase's form: `2021-12-30T19:23:59+00:00`."""
    return as_utc(value).isoformat(timespec="seconds")


def legacy_datetime(value: datetime) -> str:
    """The deprecated `created`/`updated` of most entities: `2021-12-30 19:23:59` (UTC)."""
    return as_utc(value).strftime("%Y-%m-%d %H:%M:%S")


def legacy_datetime_micro(value: datetime) -> str:
    """The deprecated `created`/`updated` of test cases: `2021-12-30T19:23:59.000000Z`."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


WireDateTime = Annotated[datetime, PlainSerializer(to_wire_datetime, return_type=str)]


class ApiModel(BaseModel):
    """Response models: built from ORM rows, serialized once."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class InputModel(BaseModel):
    """Request bodies: unknown fields are ignored, as Qase does, and strings are taken as given.
    (What no column can store never gets this far: `http.guards` refuses NUL characters, lone
    UTF-16 surrogates, NaN and Infinity in the raw body, naming the field; routes that take
    results replace lone surrogates with U+FFFD instead, see `http.bodies`.)"""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)
