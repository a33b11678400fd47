"""Shared step schemas, spelled as the contract's `SharedStep`, `SharedStep.create`/`.update`."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from testament.attachments.schemas import EntityAttachment
from testament.kit.schemas import ApiModel, InputModel, WireDateTime

# The same bounds a case's own steps have: a shared step is expanded into cases.
MAX_ITEMS = 1000
MAX_DEPTH = 5
HASH_MAX_LENGTH = 64


class StepContentInput(InputModel):
    """`SharedStepContent.create`: one step, with nested steps of the same shape."""

    hash: str | None = Field(
        None,
        min_length=1,
        max_length=HASH_MAX_LENGTH,
        description="Keep this step's hash (e.g. from a read); a new one is made when absent.",
    )
    action: str = Field(min_length=1)
    expected_result: str | None = None
    data: str | None = None
    attachments: list[str] = Field(default_factory=list, description="Attachment hashes.")
    steps: list[StepContentInput] = Field(default_factory=list)


class SharedStepWrite(InputModel):
    """Create and update take the same body: `steps`, or the deprecated single-step fields."""

    title: str = Field(min_length=1, max_length=255)
    action: str | None = Field(None, description="Deprecated: the first step's action.")
    expected_result: str | None = Field(None, description="Deprecated: the first step's.")
    data: str | None = Field(None, description="Deprecated: the first step's data.")
    steps: list[StepContentInput] | None = None


class SharedStepCreate(SharedStepWrite):
    pass


class SharedStepUpdate(SharedStepWrite):
    pass


class StepContent(ApiModel):
    """`SharedStepContent`; nested steps have the same shape (the contract types them `object`)."""

    hash: str
    action: str
    expected_result: str
    data: str
    attachments: list[EntityAttachment]
    steps: list[dict[str, Any]]


class SharedStep(ApiModel):
    hash: str
    title: str
    action: str
    expected_result: str
    data: str
    steps: list[StepContent]
    cases: list[int] = Field(description="Ids of the (non-deleted) cases using this shared step.")
    cases_count: int
    created: str
    updated: str
    created_at: WireDateTime
    updated_at: WireDateTime


class SharedStepHash(ApiModel):
    hash: str
