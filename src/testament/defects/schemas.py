"""Defect schemas, named and spelled as the contract's `Defect`, `Defect.create`, `Defect.update`,
`Defect.status`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, field_validator

from testament.attachments.schemas import EntityAttachment
from testament.kit.schemas import ApiModel, InputModel, WireDateTime

TITLE_MAX = 255
TEXT_MAX = 65535
TAG_MAX = 255

# Every status a defect can have; a new defect is `open`, and the status endpoint moves it to
# any of the others (the contract has no way back to `open`).
DefectStatusSlug = Literal["open", "resolved", "in_progress", "invalid"]
SettableStatus = Literal["in_progress", "resolved", "invalid"]


class CustomFieldValue(ApiModel):
    id: int
    value: str


class TagValue(ApiModel):
    title: str
    internal_id: int


class Defect(ApiModel):
    id: int
    title: str
    actual_result: str
    severity: str = Field(description="Slug of the severity option (`undefined`, `major` ...).")
    status: DefectStatusSlug
    milestone_id: int | None
    custom_fields: list[CustomFieldValue]
    attachments: list[EntityAttachment]
    resolved_at: WireDateTime | None
    member_id: int | None = Field(description="Deprecated: same as `author_id`.")
    author_id: int | None
    external_data: str = Field(description="Issue-tracker data, JSON-encoded (`{}` when none).")
    runs: list[int] = Field(description="Runs whose results this defect was filed from.")
    results: list[str] = Field(description="Hashes of the results this defect was filed from.")
    tags: list[TagValue]
    created_at: WireDateTime
    updated_at: WireDateTime
    created: str
    updated: str


class DefectId(ApiModel):
    id: int


class DefectWrite(InputModel):
    """The fields create and update share; on update every field is optional."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    actual_result: str | None = Field(None, max_length=TEXT_MAX)
    severity: StrictInt | None = Field(
        None, description="Severity option id: 0 undefined, 1 blocker ... 6 trivial."
    )
    milestone_id: StrictInt | None = None
    attachments: list[str] | None = Field(None, description="Attachment hashes.")
    custom_field: dict[str, str] | None = Field(None, description="Values by custom field id.")
    tags: list[str] | None = None

    @field_validator("tags")
    @classmethod
    def tags_are_titles(cls, tags: list[str] | None) -> list[str] | None:
        if tags is None:
            return None
        cleaned = [tag.strip() for tag in tags]
        if any(not tag or len(tag) > TAG_MAX for tag in cleaned):
            raise ValueError(f"each tag must be 1-{TAG_MAX} characters")
        return list(dict.fromkeys(cleaned))


class DefectCreate(DefectWrite):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    actual_result: str = Field(max_length=TEXT_MAX)
    severity: StrictInt = Field(description="Severity option id: 0 undefined, 1 blocker ...")


class DefectUpdate(DefectWrite):
    """Only the fields sent change; `milestone_id: null` detaches the milestone."""

    @field_validator("title", "actual_result", "severity", "attachments", "custom_field", "tags")
    @classmethod
    def not_null(cls, value: object) -> object:
        # Runs only for fields that were sent: defaults are not validated.
        if value is None:
            raise ValueError("This field cannot be null.")
        return value


class DefectStatus(InputModel):
    status: SettableStatus
