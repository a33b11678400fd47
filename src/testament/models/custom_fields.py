"""Custom fields: workspace definitions, per-project enablement, and values on any entity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    ProjectScopedMixin,
    TimestampMixin,
    project_fk,
)


class CustomField(IdMixin, TimestampMixin, Base):
    """A workspace-level custom field definition (/custom_field).

    entity: 0 case, 1 run, 2 defect. type: 0 number, 1 string, 2 text, 3 selectbox,
    4 checkbox, 5 radio, 6 multiselect, 7 url, 8 user, 9 datetime (the API answers both as
    slugs). `options` is the contract's `value`: `[{"id": int, "title": str}]` for selectbox,
    radio and multiselect, NULL otherwise.
    """

    __tablename__ = "custom_fields"
    __table_args__ = (Index("ix_custom_fields_entity_type", "entity", "type"),)

    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    entity: Mapped[int] = mapped_column(SmallInteger)
    type: Mapped[int] = mapped_column(SmallInteger)
    options: Mapped[list[Any] | None]
    placeholder: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    default_value: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    is_required: Mapped[bool] = mapped_column(Boolean, default=False)
    is_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    is_filterable: Mapped[bool] = mapped_column(Boolean, default=False)
    is_enabled_for_all_projects: Mapped[bool] = mapped_column(Boolean, default=False)


class CustomFieldProject(Base):
    """A project a custom field is enabled in (its `projects_codes`)."""

    __tablename__ = "custom_field_projects"

    custom_field_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = project_fk(primary_key=True)


class CustomFieldValue(IdMixin, ProjectScopedMixin, Base):
    """The value of a custom field on a case, run, defect or result.

    entity_type: "case" | "run" | "defect" | "result". `value` is the scalar string the
    contract sends and returns (option ids comma-joined for multiselect, "1"/"" for checkbox).
    """

    __tablename__ = "custom_field_values"
    __table_args__ = (
        UniqueConstraint("custom_field_id", "entity_type", "entity_id"),
        Index("ix_custom_field_values_entity", "entity_type", "entity_id"),
    )

    custom_field_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("custom_fields.id", ondelete="CASCADE")
    )
    entity_type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(BigId)
    value: Mapped[str] = mapped_column(Text, default="")
