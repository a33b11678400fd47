"""Attachments: stored files (by content) and their links to entities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
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
    author_fk,
    utcnow,
)


class Attachment(IdMixin, ProjectScopedMixin, Base):
    """An uploaded file.

    `hash` is the public name (`/attachment/{hash}`): random, so it reveals nothing about the
    content and two uploads of one file stay separate attachments. The bytes are stored once
    under `content_sha256`, so a blob may only be removed when no row still references it.
    """

    __tablename__ = "attachments"

    hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    mime: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    size: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = author_fk()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttachmentLink(IdMixin, ProjectScopedMixin, Base):
    """An attachment shown on an entity; ordered by `id`, i.e. in the order attached.

    entity_type: "case" | "step" (case_steps) | "shared_step_item" | "result" |
    "result_step" | "defect" | "run" | "plan".
    """

    __tablename__ = "attachment_links"
    __table_args__ = (
        UniqueConstraint("attachment_id", "entity_type", "entity_id"),
        Index("ix_attachment_links_entity", "entity_type", "entity_id"),
    )

    attachment_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("attachments.id", ondelete="CASCADE")
    )
    entity_type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(BigId)
