"""Shared parameter schemas, spelled as the contract's `SharedParameter`, `.create`, `.update`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from testament.kit.schemas import ApiModel, InputModel

ParameterType = Literal["single", "group"]


class ParameterInput(InputModel):
    """`Parameter.Single`: a title and its values."""

    title: str = Field(min_length=1, max_length=255)
    values: list[str] = Field(min_length=1)


class SharedParameterCreate(InputModel):
    title: str = Field(min_length=1, max_length=255)
    type: ParameterType
    project_codes: list[str] | None = Field(
        None, description="Codes of the projects it is enabled in (besides all projects)."
    )
    is_enabled_for_all_projects: StrictBool
    parameters: list[ParameterInput] = Field(
        min_length=1, description="One parameter for `single`; two or more for `group`."
    )


class SharedParameterUpdate(InputModel):
    """Every field optional; `type` cannot change (cases referencing it rely on it)."""

    title: str | None = Field(None, min_length=1, max_length=255)
    project_codes: list[str] | None = None
    is_enabled_for_all_projects: StrictBool | None = None
    parameters: list[ParameterInput] | None = Field(None, min_length=1)


class Parameter(ApiModel):
    title: str
    values: list[str]


class SharedParameter(ApiModel):
    id: str
    title: str
    type: ParameterType
    project_codes: list[str]
    is_enabled_for_all_projects: bool
    parameters: list[Parameter]


class SharedParameterId(ApiModel):
    id: str
