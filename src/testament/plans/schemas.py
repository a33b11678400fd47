"""Plan schemas, named and spelled as the contract's `Plan`, `Plan.detailed`, `Plan.create`,
`Plan.update`."""

from __future__ import annotations

from pydantic import Field, StrictInt, field_validator

from testament.kit.schemas import ApiModel, InputModel, WireDateTime

TITLE_MAX = 255
TEXT_MAX = 65535
# Most cases one plan may hold: a plan is read back whole (`get-plan` has no paging).
CASES_MAX = 10_000

CASES_DESCRIPTION = "Ids of the project's test cases, in plan order; repeated ids count once."


class Plan(ApiModel):
    id: int
    title: str
    description: str | None
    cases_count: int = Field(description="Live cases in the plan, deleted ones excluded.")
    created_at: WireDateTime
    updated_at: WireDateTime
    created: str
    updated: str


class PlanCase(ApiModel):
    case_id: int
    assignee_id: int | None


class PlanDetailed(Plan):
    average_time: float = Field(
        description="Mean duration in milliseconds of the recorded results of the plan's cases; "
        "0 when none has a duration."
    )
    cases: list[PlanCase]


class PlanId(ApiModel):
    id: int


class PlanCreate(InputModel):
    """`cases` items are strict: `true` or `"5"` is no case id."""

    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    cases: list[StrictInt] = Field(
        min_length=1, max_length=CASES_MAX, description=CASES_DESCRIPTION
    )


class PlanUpdate(InputModel):
    """Only the fields sent change; `cases` replaces the plan's whole case list."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    cases: list[StrictInt] | None = Field(
        None, min_length=1, max_length=CASES_MAX, description=CASES_DESCRIPTION
    )

    @field_validator("title", "cases")
    @classmethod
    def not_null(cls, value: str | list[int] | None) -> str | list[int]:
        # Runs only for fields that were sent: defaults are not validated.
        if value is None:
            raise ValueError("This field cannot be null.")
        return value
