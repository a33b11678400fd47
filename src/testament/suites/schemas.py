"""Suite schemas, named and spelled as the contract's `Suite`, `Suite.create`, `Suite.update`,
`Suite.delete`."""

from __future__ import annotations

from pydantic import Field, field_validator

from testament.kit.schemas import ApiModel, InputModel, WireDateTime

TITLE_MAX = 255
TEXT_MAX = 65535


class Suite(ApiModel):
    id: int
    title: str
    description: str | None
    preconditions: str | None
    position: int
    cases_count: int = Field(description="Cases directly in this suite, deleted ones excluded.")
    parent_id: int | None
    created: str
    updated: str | None
    created_at: WireDateTime
    updated_at: WireDateTime


class SuiteId(ApiModel):
    id: int


class SuiteCreate(InputModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="Test suite title.")
    description: str | None = Field(None, max_length=TEXT_MAX)
    preconditions: str | None = Field(None, max_length=TEXT_MAX)
    parent_id: int | None = Field(None, description="Parent suite id; null for a root suite.")


class SuiteUpdate(InputModel):
    """Only the fields sent change; `parent_id: null` moves the suite to the root."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    preconditions: str | None = Field(None, max_length=TEXT_MAX)
    parent_id: int | None = None

    @field_validator("title")
    @classmethod
    def title_not_null(cls, value: str | None) -> str:
        # Runs only when `title` is sent: the default is not validated.
        if value is None:
            raise ValueError("The title cannot be null.")
        return value


class SuiteDelete(InputModel):
    destination_id: int | None = Field(
        None, description="Move the cases of the deleted suites into this suite instead."
    )
