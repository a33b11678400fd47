"""Base schema and wire types shared by every resource."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer


def to_wire_datetime(value: datetime) -> str:
    """Qase's form: `2021-12-30T19:23:59+00:00` (SQLite hands back naive values: they are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


WireDateTime = Annotated[datetime, PlainSerializer(to_wire_datetime, return_type=str)]


class ApiModel(BaseModel):
    """Response models: built from ORM rows, serialized once."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class InputModel(BaseModel):
    """Request bodies: unknown fields are ignored, as Qase does, and strings are taken as given."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)
