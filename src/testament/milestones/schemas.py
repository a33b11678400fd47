"""Milestone schemas, named and spelled as the contract's `Milestone`, `Milestone.create`,
`Milestone.update`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from testament.kit.schemas import ApiModel, InputModel, WireDateTime

TITLE_MAX = 255
TEXT_MAX = 65535
# Unix seconds up to 9999-12-31T23:59:59Z: anything later is not a date a datetime can hold.
TIMESTAMP_MAX = 253402300799

MilestoneStatus = Literal["completed", "active"]


class Milestone(ApiModel):
    id: int
    title: str
    description: str | None
    status: MilestoneStatus
    due_date: WireDateTime | None
    created: str
    updated: str | None
    created_at: WireDateTime
    updated_at: WireDateTime


class MilestoneId(ApiModel):
    id: int


class MilestoneCreate(InputModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    status: MilestoneStatus = "active"
    due_date: int | None = Field(None, ge=0, le=TIMESTAMP_MAX, description="Unix timestamp.")


class MilestoneUpdate(InputModel):
    """Only the fields sent change.

    `due_date` (unix timestamp, null clears it) is accepted here as in `Milestone.create`,
    although the contract's update body omits it: otherwise a due date could never be changed.
    """

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    status: MilestoneStatus | None = None
    due_date: int | None = Field(None, ge=0, le=TIMESTAMP_MAX, description="Unix timestamp.")

    @field_validator("title", "status")
    @classmethod
    def not_null(cls, value: str | None) -> str:
        # Runs only for fields that were sent: defaults are not validated.
        if value is None:
            raise ValueError("This field cannot be null.")
        return value
