"""Review schemas, spelled as the contract's `Review`, `Review.detailed`, `Review.CaseData`,
`Review.create`, `Review.update` and `Review.bulk`."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from testament.cases.schemas import OptionValue
from testament.kit.schemas import ApiModel, InputModel, WireDateTime

MAX_REVIEWERS = 20
# The contract's `Review.bulk.reviews.maxItems`; the server's `bulk_max_items` may be lower.
BULK_MAX = 100

ReviewType = Literal["create", "edit"]
ReviewStatus = Literal["open", "merged", "declined"]
Verdict = Literal["unapproved", "approved", "changes_requested"]


class ReviewStep(InputModel):
    """`Review.StepData`: a classic step, a shared step reference or a gherkin scenario."""

    action: str | None = None
    shared: str | None = Field(None, description="Hash of a shared step to insert here.")
    expected_result: str | None = None
    data: str | None = None
    value: str | None = Field(None, description="Gherkin scenario text (gherkin steps only).")
    attachments: list[str] = Field(default_factory=list)
    steps: list[ReviewStep] = Field(default_factory=list)


# Fields the contract does not let be null: sending null for them is refused.
NOT_NULL = (
    "title",
    "is_muted",
    "is_manual",
    "is_to_be_automated",
    "steps_type",
    "attachments",
    "steps",
    "custom_field",
)


class ReviewCaseData(InputModel):
    """The proposed test case: only the fields sent are part of the proposal."""

    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    preconditions: str | None = None
    postconditions: str | None = None
    severity: OptionValue | None = None
    priority: OptionValue | None = None
    behavior: OptionValue | None = None
    type: OptionValue | None = None
    layer: OptionValue | None = None
    is_flaky: OptionValue | None = None
    is_muted: bool | None = None
    suite_id: int | None = None
    milestone_id: int | None = None
    is_manual: bool | None = None
    is_to_be_automated: bool | None = None
    status: OptionValue | None = None
    steps_type: Literal["classic", "gherkin"] | None = None
    attachments: list[str] | None = None
    steps: list[ReviewStep] | None = None
    tags: list[str] | None = None
    parameters: list[dict[str, Any]] | None = Field(
        None, description="Own single or group parameters, or `{shared_id}` references."
    )
    custom_field: dict[str, str] | None = Field(
        None, description="Custom field values by custom field id."
    )

    @field_validator(*NOT_NULL)
    @classmethod
    def not_null(cls, value: Any) -> Any:
        # Runs only for fields sent: the defaults are not validated.
        if value is None:
            raise ValueError("This field cannot be null.")
        return value


class ReviewCreate(InputModel):
    case_id: int | None = Field(
        None, description="The reviewed case: an `edit` review; without it a `create` review."
    )
    reviewers: list[UUID] = Field(default_factory=list, max_length=MAX_REVIEWERS)
    proposed_case: ReviewCaseData


class ReviewUpdate(InputModel):
    reviewers: list[UUID] | None = Field(
        None,
        max_length=MAX_REVIEWERS,
        description="Replaces the reviewers; verdicts of reviewers kept stay.",
    )
    proposed_case: ReviewCaseData | None = Field(
        None, description="Merged into the stored proposal; a change resets every verdict."
    )
    # Not part of the contract's body: refused when sent, rather than silently ignored.
    case_id: SkipJsonSchema[Any] = None

    @field_validator("case_id")
    @classmethod
    def case_is_fixed(cls, _value: Any) -> Any:
        raise ValueError("The reviewed test case of a review cannot be changed.")


class ReviewBulk(InputModel):
    reviews: list[ReviewCreate] = Field(min_length=1)


# --- Responses ------------------------------------------------------------------------------


class ReviewReviewer(ApiModel):
    author_uuid: str | None
    status: Verdict


class Review(ApiModel):
    id: int
    title: str
    type: ReviewType
    status: ReviewStatus
    case_id: int | None
    author_uuid: str | None
    reviewers: list[ReviewReviewer]
    created_at: WireDateTime
    updated_at: WireDateTime | None


class ReviewDetailed(Review):
    proposed_case: dict[str, Any] | None = Field(
        description="The proposed case state: only the fields the proposal carries."
    )


class ReviewId(ApiModel):
    id: int


class ReviewBulkItem(ApiModel):
    review_id: int | None
    case_id: int | None
    error: str | None


class ReviewBulkResult(ApiModel):
    items: list[ReviewBulkItem]
