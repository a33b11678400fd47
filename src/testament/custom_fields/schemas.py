"""Custom field schemas, spelled as the contract's `CustomField`, `CustomField.create/update`."""

from __future__ import annotations

from pydantic import Field, field_validator

from testament.kit.schemas import ApiModel, InputModel, WireDateTime


class CustomField(ApiModel):
    id: int
    title: str
    entity: str
    type: str
    placeholder: str | None
    default_value: str | None
    # The options of a select field, JSON-encoded (`[{"id": 1, "title": "..."}]`); else null.
    value: str | None
    is_required: bool
    is_visible: bool
    is_filterable: bool
    is_enabled_for_all_projects: bool
    created: str
    updated: str | None
    created_at: WireDateTime
    updated_at: WireDateTime
    projects_codes: list[str]


class OptionIn(InputModel):
    """One option of a selectbox, radio or multiselect field; a new option may omit its id."""

    id: int | None = Field(None, ge=1, description="Option id; omitted for a new option.")
    title: str = Field(min_length=1, max_length=255)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, title: str) -> str:
        if not title.strip():
            raise ValueError("The option title must not be blank.")
        return title


class CustomFieldWrite(InputModel):
    """What create and update share."""

    title: str = Field(min_length=1, max_length=255)
    value: list[OptionIn] | None = Field(
        None, description="Options, required for selectbox (3), radio (5), multiselect (6)."
    )
    placeholder: str | None = Field(None, max_length=255)
    default_value: str | None = Field(None, max_length=255)
    is_filterable: bool = False
    is_visible: bool = True
    is_required: bool = False
    is_enabled_for_all_projects: bool = False
    projects_codes: list[str] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def title_not_blank(cls, title: str) -> str:
        if not title.strip():
            raise ValueError("The title must not be blank.")
        return title


class CustomFieldCreate(CustomFieldWrite):
    entity: int = Field(ge=0, le=2, description="0 case, 1 run, 2 defect.")
    type: int = Field(
        ge=0,
        le=9,
        description="0 number, 1 string, 2 text, 3 selectbox, 4 checkbox, 5 radio, "
        "6 multiselect, 7 url, 8 user, 9 datetime.",
    )


class CustomFieldUpdate(CustomFieldWrite):
    """Fields left out keep their values; `title` is required, as the contract says."""

    replace_values: dict[str, str] | None = Field(
        None,
        description="Old option id -> new option id (or empty to clear), applied to stored values.",
    )


class CreatedId(ApiModel):
    id: int
