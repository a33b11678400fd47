"""The live server's database, for calling service functions directly and reading the audit log.

Shared by the environment and configuration tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.access.tokens import authenticate
from testament.models.identity import AuditEntry
from testament.models.project import Project
from tests.live import LiveServer


class LiveDb:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    @contextmanager
    def context(
        self, code: str, *, commit: bool = True
    ) -> Iterator[tuple[Session, ProjectContext]]:
        """A write transaction and the admin's context in project `code`; committed at the end
        unless `commit` is False (or the block raises)."""
        with self.database.session() as session:
            session.begin()
            actor, _ = authenticate(session, self.server.tokens["admin"])
            project = session.scalar(select(Project).where(Project.code == code.upper()))
            assert project is not None, code
            try:
                yield session, ProjectContext(project=project, actor=actor)
            except BaseException:
                session.rollback()
                raise
            if commit:
                session.commit()
            else:
                session.rollback()

    def project_id(self, code: str) -> int:
        with self.database.session(write=False) as session:
            found = session.scalar(select(Project.id).where(Project.code == code.upper()))
            assert found is not None, code
            return found

    def audit(self, code: str, entity_type: str) -> list[tuple[str, str]]:
        """`(action, entity_id)` of the project's audit entries about `entity_type`, oldest first."""
        project_id = self.project_id(code)
        with self.database.session(write=False) as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.entity_id)
                .where(AuditEntry.project_id == project_id, AuditEntry.entity_type == entity_type)
                .order_by(AuditEntry.id)
            )
            return [(row[0], row[1]) for row in rows]


@pytest.fixture
def live_db(server: LiveServer) -> Iterator[LiveDb]:
    opened = LiveDb(server)
    yield opened
    opened.close()
