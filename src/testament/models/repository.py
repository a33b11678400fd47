"""The test repository: suites, milestones, cases and what hangs off them.

Conventions used throughout this module:
- Ids in the API (`case 12`, `suite 3`) are `number`; every foreign key here is the global `id`.
- Generic link tables (`custom_field_values`, `attachment_links`, `external_issue_links`) point
  at rows of several tables through (`entity_type`, `entity_id`), where `entity_id` is that row's
  global `id`. They carry no foreign key to the entity, so the service that deletes an entity
  deletes its links in the same transaction.
- Enum-like values are plain SmallInteger or String columns; their values are listed beside them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    Base,
    BigId,
    IdMixin,
    ProjectNumberedMixin,
    ProjectScopedMixin,
    TimestampMixin,
    utcnow,
)

TITLE_LENGTH = 255
HASH_LENGTH = 64


def author_fk() -> Mapped[int | None]:
    """A nullable reference to the author who made or last changed a row."""
    return mapped_column(BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True)


def project_fk(*, primary_key: bool = False) -> Mapped[int]:
    """`project_id` for link tables whose primary key includes it (the mixin's cannot be a key)."""
    return mapped_column(
        BigId,
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=primary_key,
        index=True,
        nullable=False,
    )


# --- Suites and milestones -------------------------------------------------------------------


class Suite(IdMixin, TimestampMixin, ProjectNumberedMixin, Base):
    """A folder of test cases; suites nest through `parent_id`."""

    __tablename__ = "suites"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    # Deleting a suite deletes its subtree; cases are moved or deleted by the service first
    # (`Suite.delete.destination_id`), and `cases.suite_id` is SET NULL as a backstop.
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("suites.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    preconditions: Mapped[str | None] = mapped_column(Text)


class Milestone(IdMixin, TimestampMixin, ProjectNumberedMixin, Base):
    """A project milestone that cases (and runs, defects) can be assigned to."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | completed
    due_date: Mapped[datetime | None]


# --- Cases -----------------------------------------------------------------------------------


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


# --- Shared steps ----------------------------------------------------------------------------


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


# --- Parameters ------------------------------------------------------------------------------


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


# --- Tags ------------------------------------------------------------------------------------


class Tag(IdMixin, ProjectScopedMixin, Base):
    """A tag title in a project; its `id` is the `internal_id` of the contract's Tag.value."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("project_id", "title"),)

    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTag(ProjectScopedMixin, Base):
    """A tag on a case."""

    __tablename__ = "case_tags"

    case_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- Custom fields ---------------------------------------------------------------------------


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


# --- Attachments -----------------------------------------------------------------------------


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


# --- External issues -------------------------------------------------------------------------


class ExternalIssueLink(IdMixin, ProjectScopedMixin, Base):
    """An issue in an external tracker linked to a case or a run.

    entity_type: "case" | "run". type: the integration slug (jira-cloud, jira-server, asana,
    azure-devops, clickup-app, github-app, gitlab-app, linear, monday, redmine-app, trello-app,
    youtrack-app).
    """

    __tablename__ = "external_issue_links"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id", "type", "external_id"),
        Index("ix_external_issue_links_entity", "entity_type", "entity_id"),
        # The case list filter: external_issues[type] + external_issues[ids][].
        Index("ix_external_issue_links_lookup", "project_id", "type", "external_id"),
        # The contract allows one link per run; this backs the service's replace-on-write.
        Index(
            "ix_external_issue_links_one_per_run",
            "entity_id",
            unique=True,
            postgresql_where=text("entity_type = 'run'"),
            sqlite_where=text("entity_type = 'run'"),
        ),
    )

    entity_type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(BigId)
    type: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    link: Mapped[str | None] = mapped_column(String(2048))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
