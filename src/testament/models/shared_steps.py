"""Shared steps: step lists that cases reference by hash."""

from __future__ import annotations

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    HASH_LENGTH,
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    ProjectScopedMixin,
    TimestampMixin,
    author_fk,
)


class SharedStep(IdMixin, TimestampMixin, ProjectScopedMixin, Base):
    """A reusable sequence of steps, addressed in the API by `hash`.

    Its steps are rows in `shared_step_items` rather than a JSON column: each item has its own
    hash (the `shared_step_nested_hash` a case step reports), its own attachments (linked as
    entity_type "shared_step_item", so attachment clean-up sees every reference), and a case
    can list them with the same queries as its own steps. `cases`/`cases_count` are derived
    from `case_steps.shared_step_id`.
    """

    __tablename__ = "shared_steps"
    __table_args__ = (UniqueConstraint("project_id", "hash"),)

    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    author_id: Mapped[int | None] = author_fk()


class SharedStepItem(IdMixin, ProjectScopedMixin, Base):
    """One step inside a shared step, ordered by `position`; nested via `parent_id`."""

    __tablename__ = "shared_step_items"
    __table_args__ = (
        UniqueConstraint("shared_step_id", "hash"),
        Index("ix_shared_step_items_step_position", "shared_step_id", "position"),
    )

    shared_step_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("shared_steps.id", ondelete="CASCADE")
    )
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("shared_step_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    action: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str | None] = mapped_column(Text)
