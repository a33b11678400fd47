"""Shared parameters: workspace-wide parameter sets, enabled per project."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    ForeignKey,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    TimestampMixin,
    author_fk,
    project_fk,
)


class SharedParameter(IdMixin, TimestampMixin, Base):
    """A workspace-wide parameter (single or group) that cases can reference by uuid.

    Available in every project when `is_enabled_for_all_projects`, otherwise in the projects
    listed in `shared_parameter_projects`. `parameters` is the contract's list of
    `{"title": str, "values": [str]}`: exactly one item for "single", two or more for "group".
    """

    __tablename__ = "shared_parameters"

    uuid: Mapped[UUID] = mapped_column(Uuid, unique=True, default=uuid4)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    type: Mapped[str] = mapped_column(String(8), index=True)  # single | group
    is_enabled_for_all_projects: Mapped[bool] = mapped_column(Boolean, default=False)
    parameters: Mapped[list[Any]]
    author_id: Mapped[int | None] = author_fk()


class SharedParameterProject(Base):
    """A project a shared parameter is enabled in (its `project_codes`)."""

    __tablename__ = "shared_parameter_projects"

    shared_parameter_id: Mapped[int] = mapped_column(
        BigId,
        # Named by hand: the conventional name passes PostgreSQL's 63 characters.
        ForeignKey(
            "shared_parameters.id",
            ondelete="CASCADE",
            name="fk_shared_parameter_projects_shared_parameter_id",
        ),
        primary_key=True,
    )
    project_id: Mapped[int] = project_fk(primary_key=True)
