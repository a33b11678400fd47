"""v1 result schemas, spelled as the contract's `Result`, `Result.create`, `Result.update`."""

from __future__ import annotations

from typing import Any

from pydantic import Field, StrictBool, StrictInt

from testament.kit.repository import NUMBER_MAX
from testament.kit.schemas import ApiModel, InputModel, WireDateTime


class StepResultInput(InputModel):
    """`TestStepResult.create`."""

    status: str
    action: str | None = None
    expected_result: str | None = None
    data: str | None = None
    comment: str | None = None
    attachments: list[str] | None = None
    position: StrictInt | None = Field(None, description="Deprecated: list order is used.")
    steps: list[StepResultInput] = Field(default_factory=list)


class NewCase(InputModel):
    """`Result.create.case`: the case to create when the result has no `case_id`."""

    title: str = Field(min_length=1, max_length=255)
    suite_title: str | None = Field(None, description="Nested suites separated by TAB.")
    description: str | None = None
    preconditions: str | None = None
    postconditions: str | None = None
    layer: str | None = None
    severity: str | None = None
    priority: str | None = None


class ResultCreate(InputModel):
    status: str = Field(min_length=1, max_length=64)
    case_id: StrictInt | None = Field(None, ge=1, le=NUMBER_MAX)
    case: NewCase | None = None
    start_time: StrictInt | None = Field(None, ge=0, le=253402300799)
    time: StrictInt | None = Field(None, ge=0, le=31536000)
    time_ms: StrictInt | None = Field(None, ge=0, le=31536000000)
    defect: StrictBool | None = None
    attachments: list[str] | None = None
    stacktrace: str | None = None
    comment: str | None = None
    param: dict[str, str] | None = None
    param_groups: list[list[str]] | None = None
    steps: list[StepResultInput] | None = None
    author_id: StrictInt | None = Field(None, ge=1, le=2**63 - 1)


class ResultBulk(InputModel):
    results: list[ResultCreate]


class ResultUpdate(InputModel):
    status: str | None = Field(None, min_length=1, max_length=64)
    time_ms: StrictInt | None = Field(None, ge=0, le=31536000000)
    defect: StrictBool | None = None
    attachments: list[str] | None = None
    stacktrace: str | None = None
    comment: str | None = None
    steps: list[StepResultInput] | None = None


def _none(value: object) -> bool:
    return value is None


class StepResult(ApiModel):
    """`TestStepResult`; texts the step does not have are left out (the contract has no nulls)."""

    status: int
    position: int
    action: str | None = Field(None, exclude_if=_none)
    expected_result: str | None = Field(None, exclude_if=_none)
    data: str | None = Field(None, exclude_if=_none)
    comment: str | None = Field(None, exclude_if=_none)
    start_time: int | None = None
    end_time: int | None = None
    duration_ms: int | None = None
    attachments: list[Any] = Field(default_factory=list)
    steps: list[StepResult] = Field(default_factory=list)


class Result(ApiModel):
    hash: str
    result_hash: str
    comment: str | None
    stacktrace: str | None
    run_id: int
    # A result whose case was deleted has none; the contract has no null here, so it is left out.
    case_id: int | None = Field(exclude_if=_none)
    steps: list[StepResult] | None
    status: str
    is_api_result: bool
    time_spent_ms: int
    end_time: WireDateTime | None
    attachments: list[Any]
    # Our extension (the contract's Result has no such field; its clients ignore it): how the
    # steps were written, as a v2 result said (`classic` or `gherkin`; v1 results are classic).
    steps_type: str = Field(
        "classic", description="Testament extension: `classic` or `gherkin`, as reported."
    )


class ResultRef(ApiModel):
    case_id: int | None = Field(exclude_if=_none)
    hash: str


class ResultHash(ApiModel):
    hash: str
