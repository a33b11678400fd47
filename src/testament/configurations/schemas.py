"""Configuration schemas, named and spelled as the contract's `ConfigurationGroup`,
`Configuration`, `ConfigurationGroup.create`, `Configuration.create`."""

from __future__ import annotations

from pydantic import Field

from testament.kit.schemas import ApiModel, InputModel

TITLE_MAX = 255


class Configuration(ApiModel):
    id: int
    title: str


class ConfigurationGroup(ApiModel):
    id: int
    title: str
    configurations: list[Configuration]


class ConfigurationId(ApiModel):
    id: int


class ConfigurationGroupCreate(InputModel):
    title: str = Field(
        min_length=1, max_length=TITLE_MAX, description="Group title, unique in the project."
    )


class ConfigurationCreate(InputModel):
    title: str = Field(
        min_length=1, max_length=TITLE_MAX, description="Configuration title, unique in its group."
    )
    group_id: int = Field(ge=1, description="Id of the configuration group to add it to.")
