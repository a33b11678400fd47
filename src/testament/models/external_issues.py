"""Links from cases and runs to issues in external trackers (Jira, GitHub ...)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import (
    TITLE_LENGTH,
    Base,
    BigId,
    IdMixin,
    ProjectScopedMixin,
    utcnow,
)


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
