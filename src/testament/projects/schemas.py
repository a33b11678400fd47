"""Project schemas, named and spelled as the contract's `Project`, `Project.create`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from testament.kit.repository import ID_MAX
from testament.kit.schemas import ApiModel, InputModel


class RunCounts(ApiModel):
    total: int = 0
    active: int = 0


class DefectCounts(ApiModel):
    total: int = 0
    open: int = 0


class ProjectCounts(ApiModel):
    cases: int = 0
    suites: int = 0
    milestones: int = 0
    runs: RunCounts = Field(default_factory=RunCounts)
    defects: DefectCounts = Field(default_factory=DefectCounts)


class Project(ApiModel):
    title: str
    code: str
    counts: ProjectCounts


class ProjectCreate(InputModel):
    title: str = Field(min_length=1, max_length=255, description="Project title.")
    code: str = Field(
        pattern=r"^[a-zA-Z]{2,10}$",
        description="Project code. Unique. 2-10 latin letters; digits and symbols are not allowed.",
    )
    description: str | None = Field(None, max_length=65535)
    access: Literal["all", "group", "none"] = "all"
    group: str | None = Field(None, description="Team group hash. Required if access is group.")
    settings: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def group_given_for_group_access(self) -> ProjectCreate:
        if self.access == "group" and not self.group:
            raise ValueError("`group` is required when `access` is `group`")
        return self


class ProjectCode(ApiModel):
    code: str


class ProjectAccessChange(InputModel):
    member_id: int = Field(ge=1, le=ID_MAX, description="Id of the user to grant or revoke access.")
