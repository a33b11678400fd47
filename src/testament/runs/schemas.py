"""Run schemas, spelled as the contract's `Run`, `Run.create`, `Run.update`, `Run.public`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool

from testament.cases.schemas import CustomFieldValue, TagValue
from testament.kit.repository import NUMBER_MAX
from testament.kit.schemas import ApiModel, InputModel, WireDateTime

RunNumberField = Field(ge=1, le=NUMBER_MAX)


class RunCreate(InputModel):
    title: str = Field(min_length=1, max_length=255)
    description: str | None = Field(None, max_length=10000)
    include_all_cases: StrictBool = False
    cases: list[int] | None = None
    is_autotest: StrictBool = False
    environment_id: int | None = Field(None, ge=1, le=NUMBER_MAX)
    environment_slug: str | None = Field(None, max_length=255)
    milestone_id: int | None = Field(None, ge=1, le=NUMBER_MAX)
    plan_id: int | None = Field(None, ge=1, le=NUMBER_MAX)
    author_id: int | None = Field(None, ge=1, le=2**63 - 1)
    tags: list[str] | None = None
    configurations: list[int] | None = None
    custom_field: dict[str, str] | None = None
    start_time: str | None = None
    end_time: str | None = None
    is_cloud: bool | None = Field(None, description="Accepted and ignored: no cloud runs here.")
    cloud_run_config: dict[str, Any] | None = Field(None, description="Accepted and ignored.")


class RunUpdate(InputModel):
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=10000)
    environment_id: int | None = Field(None, ge=1, le=NUMBER_MAX)
    environment_slug: str | None = Field(None, max_length=255)
    milestone_id: int | None = Field(None, ge=1, le=NUMBER_MAX)
    tags: list[str] | None = None
    configurations: list[int] | None = None
    custom_field: dict[str, str] | None = None


class RunPublicity(InputModel):
    status: StrictBool


class RunExternalIssueLink(InputModel):
    run_id: int = Field(ge=1, le=NUMBER_MAX)
    external_issue: str | None = Field(None, min_length=1, max_length=2048)


class RunExternalIssues(InputModel):
    type: Literal["jira-cloud", "jira-server"]
    links: list[RunExternalIssueLink]


class RunStats(ApiModel):
    total: int
    statuses: dict[str, int]
    untested: int
    passed: int
    failed: int
    blocked: int
    skipped: int
    retest: int
    in_progress: int
    invalid: int


class RunEnvironment(ApiModel):
    title: str
    description: str
    slug: str
    host: str


class RunMilestone(ApiModel):
    title: str
    description: str


class RunExternalIssue(ApiModel):
    id: str
    # The contract's `link` is a URI: left out when the issue was given by id, not by URL.
    link: str | None = Field(None, exclude_if=lambda link: link is None)
    type: str


class Run(ApiModel):
    id: int
    run_id: int
    title: str
    description: str | None
    status: int
    status_text: str
    start_time: WireDateTime | None
    end_time: WireDateTime | None
    public: bool
    stats: RunStats
    time_spent: int
    elapsed_time: int
    environment: RunEnvironment | None
    milestone: RunMilestone | None
    custom_fields: list[CustomFieldValue]
    tags: list[TagValue]
    cases: list[int] | None = Field(None, exclude_if=lambda cases: cases is None)
    plan_id: int | None
    configurations: list[int]
    external_issue: RunExternalIssue | None


class RunId(ApiModel):
    id: int


class PublicUrl(ApiModel):
    url: str
