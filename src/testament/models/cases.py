"""Test cases: the case row, its steps, parameters, and the signatures reporters find it by."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
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
    ProjectNumberedMixin,
    ProjectScopedMixin,
    TimestampMixin,
    author_fk,
)


def _live_case_index(name: str, *columns: str) -> Index:
    return Index(name, "project_id", "deleted_at", *columns)


class Case(IdMixin, TimestampMixin, ProjectNumberedMixin, Base):
    """A test case.

    The integer fields hold Qase's system-field option ids, which the API returns as integers
    while the list filters take slugs (the /system_field options are the authority):
    severity 0 undefined, 1 blocker, 2 critical, 3 major, 4 normal, 5 minor, 6 trivial;
    priority 0 undefined, 1 high, 2 medium, 3 low;
    type 1 other, 2 functional, 3 smoke, 4 regression, 5 security, 6 usability, 7 performance,
    8 acceptance, 9 compatibility, 10 integration, 11 exploratory;
    behavior 1 undefined, 2 positive, 3 negative, 4 destructive;
    layer 0 unknown, 1 e2e, 2 api, 3 unit; is_flaky 0 no, 1 yes;
    status 0 actual, 1 draft, 2 deprecated;
    automation 0 manual (is-not-automated), 1 to-be-automated, 2 automated. `isManual` and
    `isToBeAutomated` are derived from `automation`, so one column holds the state.
    """

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_cases_project_suite_position", "project_id", "suite_id", "position"),
        # Lists only ever show live cases (`deleted_at IS NULL`): with deleted_at in the key,
        # counts and pages of 100,000 cases are read from these indexes alone.
        _live_case_index("ix_cases_live_number", "number"),
        _live_case_index("ix_cases_live_severity", "severity", "number"),
        _live_case_index("ix_cases_live_priority", "priority", "number"),
        _live_case_index("ix_cases_live_type", "type", "number"),
        _live_case_index("ix_cases_live_behavior", "behavior", "number"),
        _live_case_index("ix_cases_live_automation", "automation", "number"),
        _live_case_index("ix_cases_live_status", "status", "number"),
    )

    suite_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("suites.id", ondelete="SET NULL"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    preconditions: Mapped[str | None] = mapped_column(Text)
    postconditions: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(SmallInteger, default=0)
    priority: Mapped[int] = mapped_column(SmallInteger, default=0)
    type: Mapped[int] = mapped_column(SmallInteger, default=1)
    behavior: Mapped[int] = mapped_column(SmallInteger, default=1)
    layer: Mapped[int] = mapped_column(SmallInteger, default=0)
    is_flaky: Mapped[int] = mapped_column(SmallInteger, default=0)
    status: Mapped[int] = mapped_column(SmallInteger, default=0)
    automation: Mapped[int] = mapped_column(SmallInteger, default=0)
    steps_type: Mapped[str] = mapped_column(String(16), default="classic")  # classic | gherkin
    # The case's version: bumped by the service on every content change.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = author_fk()  # also served as the deprecated `member_id`
    updated_by: Mapped[int | None] = author_fk()
    # Soft delete: runs and results keep pointing at a deleted case and still show its title;
    # the contract exposes it as the deprecated `deleted`. Every case list filters it out.
    deleted_at: Mapped[datetime | None]


class CaseSignature(IdMixin, ProjectScopedMixin, Base):
    """Which case an automated test's signature belongs to, so its next run finds the same case.

    Reporters send a `signature` (file path, test name, parameters); it can be long, so rows are
    keyed by its SHA-256.
    """

    __tablename__ = "case_signatures"
    __table_args__ = (UniqueConstraint("project_id", "signature_sha256"),)

    signature_sha256: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )


class CaseStep(IdMixin, ProjectScopedMixin, Base):
    """One step of a case, ordered by `position` among its siblings; nested via `parent_id`.

    A step with `shared_step_id` set stands in for that shared step: its content is read from
    `shared_step_items` when the case is served (so edits to the shared step show everywhere),
    and `action`/`expected_result`/`data` stay empty. For gherkin cases the scenario text is
    kept in `action`. Step attachments are `attachment_links` rows with entity_type "step".
    """

    __tablename__ = "case_steps"
    __table_args__ = (
        UniqueConstraint("case_id", "hash"),
        Index("ix_case_steps_case_position", "case_id", "position"),
    )

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("case_steps.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Stable across edits of the text, so results and reviews can refer to a step.
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    action: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str | None] = mapped_column(Text)
    # Deleting a shared step removes it from cases: its service deletes these rows first and
    # renumbers their siblings. SET NULL is only a backstop.
    shared_step_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("shared_steps.id", ondelete="SET NULL"), index=True
    )


class CaseParameter(IdMixin, ProjectScopedMixin, Base):
    """A parameter of a case: its own single/group values, or a reference to a shared one.

    `items` is the list of `{"title": str, "values": [str]}` (one item for "single", two or
    more for "group") and is NULL exactly when `shared_parameter_id` is set; `type` is copied
    from the shared parameter, whose type cannot change.
    """

    __tablename__ = "case_parameters"
    __table_args__ = (
        UniqueConstraint("case_id", "shared_parameter_id"),
        Index("ix_case_parameters_case_position", "case_id", "position"),
        CheckConstraint("(shared_parameter_id IS NULL) <> (items IS NULL)", name="own_or_shared"),
    )

    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(8))  # single | group
    # The contract: deleting a shared parameter removes its usages in cases.
    shared_parameter_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("shared_parameters.id", ondelete="CASCADE"), index=True
    )
    # none_as_null: a Python None must be SQL NULL (not JSON 'null') for the check above.
    items: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
