"""v2 result schemas: the `ResultCreate` the official reporters send."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt

from testament.kit.repository import NUMBER_MAX
from testament.kit.schemas import ApiModel, InputModel

Epoch = StrictFloat | StrictInt
# A case's number, as `testops_id` is bounded: a larger one would overflow the lookup (a 500).
CaseNumber = Annotated[StrictInt, Field(ge=1, le=NUMBER_MAX)]
# A year, in milliseconds: the bound of every duration.
DURATION_MAX_MS = 31_536_000_000
# Qase keeps this much of `execution.error_context` and drops the rest without an error.
ERROR_CONTEXT_KEPT = 262_144
# More `error_context` than this across one batch is refused (413), as the contract says.
ERROR_CONTEXT_PER_BATCH = 4_194_304


class ExecutionV2(InputModel):
    status: str = Field(min_length=1, max_length=64)
    start_time: Epoch | None = Field(None, ge=0, le=253402300799)
    end_time: Epoch | None = Field(None, ge=0, le=253402300799)
    duration: StrictInt | None = Field(None, ge=0, le=DURATION_MAX_MS)
    stacktrace: str | None = None
    thread: str | None = Field(None, max_length=255)
    error_context: str | None = None


class StepDataV2(InputModel):
    action: str
    expected_result: str | None = None
    input_data: str | None = None
    attachments: list[str] | None = None


class StepExecutionV2(InputModel):
    status: Literal["passed", "failed", "blocked", "skipped", "in_progress"]
    start_time: Epoch | None = Field(None, ge=0, le=253402300799)
    end_time: Epoch | None = Field(None, ge=0, le=253402300799)
    duration: StrictInt | None = Field(None, ge=0, le=DURATION_MAX_MS)
    comment: str | None = None
    attachments: list[str] | None = None


class StepV2(InputModel):
    data: StepDataV2 | None = None
    execution: StepExecutionV2
    steps: list[StepV2] = Field(default_factory=list)


class SuiteItemV2(InputModel):
    title: str = Field(min_length=1)
    public_id: StrictInt | None = None


class SuiteRelationV2(InputModel):
    data: list[SuiteItemV2]


class RelationsV2(InputModel):
    suite: SuiteRelationV2 | None = None


class ResultCreateV2(InputModel):
    id: str | None = Field(None, max_length=200, description="Idempotency key.")
    title: str = Field(min_length=1)
    signature: str | None = None
    testops_id: StrictInt | None = Field(None, ge=1, le=NUMBER_MAX)
    testops_ids: list[CaseNumber] | None = None
    execution: ExecutionV2
    fields: dict[str, str] | None = None
    attachments: list[str] | None = None
    steps: list[StepV2] | None = None
    steps_type: Literal["classic", "gherkin"] | None = None
    params: dict[str, str] | None = None
    param_groups: list[list[str]] | None = None
    relations: RelationsV2 | None = None
    message: str | None = None
    defect: StrictBool | None = None


class ResultsCreateV2(InputModel):
    results: list[ResultCreateV2]


class CreatedV2(ApiModel):
    case_id: int | None
    hash: str
