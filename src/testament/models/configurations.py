"""Configurations and their groups (browser: Chrome, Firefox ...)."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    TimestampMixin,
)


class ConfigurationGroup(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A named axis of configurations, e.g. `Browser` or `OS`; titles are unique per project, so
    reporters can find a group by title."""

    __tablename__ = "configuration_groups"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        UniqueConstraint("project_id", "title"),
    )

    title: Mapped[str] = mapped_column(String(255))


class Configuration(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """One value of a configuration group, e.g. `Firefox` in `Browser`; unique in its group."""

    __tablename__ = "configurations"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        # Also serves as the index on group_id.
        UniqueConstraint("group_id", "title"),
    )

    group_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("configuration_groups.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(255))
