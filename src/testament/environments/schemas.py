"""Environment schemas, named and spelled as the contract's `Environment`, `Environment.create`,
`Environment.update`."""

from __future__ import annotations

from pydantic import Field, field_validator

from testament.kit.schemas import ApiModel, InputModel

TITLE_MAX = 255
TEXT_MAX = 65535


class Environment(ApiModel):
    id: int
    title: str
    description: str | None
    slug: str
    host: str | None


class EnvironmentId(ApiModel):
    id: int


def _slug_not_blank(slug: str | None) -> str:
    if slug is None:
        raise ValueError("The slug cannot be null.")
    if not slug.strip():
        raise ValueError("The slug must not be blank.")
    return slug


class EnvironmentCreate(InputModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="Environment title.")
    description: str | None = Field(None, max_length=TEXT_MAX)
    slug: str = Field(
        min_length=1, max_length=TITLE_MAX, description="Unique in the project; runs name it."
    )
    host: str | None = Field(None, max_length=TEXT_MAX)

    @field_validator("slug")
    @classmethod
    def slug_not_blank(cls, slug: str) -> str:
        return _slug_not_blank(slug)


class EnvironmentUpdate(InputModel):
    """Only the fields sent change; `description` and `host` may be cleared with null."""

    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    slug: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    host: str | None = Field(None, max_length=TEXT_MAX)

    @field_validator("title")
    @classmethod
    def title_not_null(cls, title: str | None) -> str:
        # Runs only when `title` is sent: the default is not validated.
        if title is None:
            raise ValueError("The title cannot be null.")
        return title

    @field_validator("slug")
    @classmethod
    def slug_not_blank(cls, slug: str | None) -> str:
        return _slug_not_blank(slug)
