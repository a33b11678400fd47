"""Case schemas, spelled as the contract's `TestCase`, `TestCase.create`, `TestCase.update` ..."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator

from testament.kit.repository import NUMBER_MAX
from testament.kit.schemas import ApiModel, InputModel, WireDateTime


def _option_value(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be an option id (integer) or its slug (string)")
    return value


# An enum field of a case: the system-field option id, or its slug ("critical" or 2).
OptionValue = Annotated[Any, BeforeValidator(_option_value)]

MAX_STEPS = 1000
MAX_STEP_DEPTH = 5


class StepInput(InputModel):
    """`TestStep.create`: a classic step, a gherkin scenario (`value`) or a shared step (`shared`)."""

    action: str | None = None
    expected_result: str | None = None
    data: str | None = None
    value: str | None = None
    shared: str | None = Field(None, description="Hash of a shared step to insert here.")
    attachments: list[str] = Field(default_factory=list)
    steps: list[StepInput] = Field(default_factory=list)
    position: int | None = Field(None, description="Deprecated and ignored: order is list order.")


class ParameterSingleInput(InputModel):
    title: str = Field(min_length=1, max_length=255)
    values: list[str] = Field(min_length=1)


class CaseWrite(InputModel):
    """The fields create and update share; on update every field is optional."""

    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    preconditions: str | None = None
    postconditions: str | None = None
    severity: OptionValue | None = None
    priority: OptionValue | None = None
    type: OptionValue | None = None
    behavior: OptionValue | None = None
    layer: OptionValue | None = None
    is_flaky: OptionValue | None = None
    status: OptionValue | None = None
    automation: OptionValue | None = Field(None, description="Deprecated: use isManual.")
    is_manual: bool | None = Field(None, alias="isManual")
    is_to_be_automated: bool | None = Field(None, alias="isToBeAutomated")
    suite_id: int | None = None
    milestone_id: int | None = None
    tags: list[str] | None = None
    custom_field: dict[str, str] | None = None
    attachments: list[str] | None = None
    steps_type: Literal["classic", "gherkin"] | None = None
    steps: list[StepInput] | None = None
    parameters: list[dict[str, Any]] | None = None
    params: dict[str, list[str]] | None = Field(None, description="Deprecated: use parameters.")

    @field_validator("tags")
    @classmethod
    def tags_are_titles(cls, tags: list[str] | None) -> list[str] | None:
        if tags is None:
            return None
        cleaned = [tag.strip() for tag in tags]
        if any(not tag or len(tag) > 255 for tag in cleaned):
            raise ValueError("each tag must be 1-255 characters")
        return list(dict.fromkeys(cleaned))


class CaseCreate(CaseWrite):
    title: str = Field(min_length=1, max_length=255)
    created_at: str | None = Field(None, description="Import the original creation time.")
    updated_at: str | None = None


class CaseUpdate(CaseWrite):
    pass


class BulkCase(CaseCreate):
    id: int | None = Field(None, ge=1, le=NUMBER_MAX, description="Import the case under this id.")


class CaseBulk(InputModel):
    cases: list[BulkCase]


class ExternalIssueLinkInput(InputModel):
    case_id: int = Field(ge=1, le=NUMBER_MAX)
    external_issues: list[str]


class CaseExternalIssues(InputModel):
    type: Literal["jira-cloud", "jira-server"]
    links: list[ExternalIssueLinkInput]


# --- Responses ------------------------------------------------------------------------------


class Attachment(ApiModel):
    size: int
    mime: str
    filename: str
    url: str


class Step(ApiModel):
    hash: str
    shared_step_hash: str | None = None
    shared_step_nested_hash: str | None = None
    position: int
    action: str
    expected_result: str | None
    data: str | None
    attachments: list[Any] = Field(default_factory=list)
    steps: list[dict[str, Any]] = Field(default_factory=list)


class TagValue(ApiModel):
    title: str
    internal_id: int


class CustomFieldValue(ApiModel):
    id: int
    value: str


class ExternalIssueRef(ApiModel):
    id: str
    link: str


class ExternalIssue(ApiModel):
    type: str
    issues: list[ExternalIssueRef]


class Case(ApiModel):
    id: int
    position: int
    title: str
    description: str | None
    preconditions: str | None
    postconditions: str | None
    severity: int
    priority: int
    type: int
    layer: int
    is_flaky: int
    behavior: int
    automation: int
    is_manual: bool = Field(serialization_alias="isManual")
    is_to_be_automated: bool = Field(serialization_alias="isToBeAutomated")
    status: int
    milestone_id: int | None
    suite_id: int | None
    custom_fields: list[CustomFieldValue]
    attachments: list[Any]
    steps_type: Literal["classic", "gherkin"]
    steps: list[Step]
    params: dict[str, list[str]] | list[Any]
    parameters: list[dict[str, Any]]
    tags: list[TagValue]
    member_id: int | None
    author_id: int | None
    created_at: WireDateTime
    updated_at: WireDateTime
    deleted: str | None
    created: str
    updated: str
    external_issues: list[ExternalIssue]


class CaseId(ApiModel):
    id: int


class CaseIds(ApiModel):
    ids: list[int]
