"""Reviews of proposed case changes and their reviewers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    ProjectScopedMixin,
    TimestampMixin,
)


class Review(IdMixin, ProjectNumberedMixin, TimestampMixin, Base):
    """A proposed new case (`create`) or change to a case (`edit`) awaiting approval.

    The proposal is stored as sent (Review.CaseData merged over previous updates) and applied to
    the case when the review is merged.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_reviews_project_id_status", "project_id", "status"),
    )

    title: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(8))  # "create" | "edit"
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | merged | declined
    # The reviewed case; for a `create` review, set to the new case once merged.
    case_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    proposed_case: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReviewReviewer(IdMixin, ProjectScopedMixin, Base):
    """A reviewer assigned to a review and their verdict.

    Surrogate id because the contract keeps a reviewer whose author is gone (NULL author_uuid).
    """

    __tablename__ = "review_reviewers"
    __table_args__ = (UniqueConstraint("review_id", "author_id"),)

    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("reviews.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True
    )
    # "unapproved" | "approved" | "changes_requested"; back to unapproved when the proposal
    # changes (updating only the reviewers keeps verdicts).
    status: Mapped[str] = mapped_column(String(24), default="unapproved")
