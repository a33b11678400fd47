"""Direct access to a live server's database: the review workflow has no v1 operations, so
tests call its service functions in-process, and read what the API does not show."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.access.tokens import authenticate
from testament.models.identity import AuditEntry, Author
from testament.models.project import Project
from tests.live import LiveServer


class Db:
    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    @contextmanager
    def acting(self, code: str, role: str = "admin") -> Iterator[tuple[Session, ProjectContext]]:
        """A write transaction and the context a request of `role` on project `code` would have;
        committed when the block ends without an error."""
        with self.database.session(write=True) as session, session.begin():
            project = session.scalar(select(Project).where(Project.code == code))
            assert project is not None, code
            actor, _ = authenticate(session, self.server.tokens[role])
            yield session, ProjectContext(project=project, actor=actor)

    def author_id(self, author_uuid: str) -> int:
        with self.database.session(write=False) as session:
            found = session.scalar(select(Author.id).where(Author.uuid == author_uuid))
            assert found is not None, author_uuid
            return found

    def add_author(self, *, entity_type: str = "user", active: bool = True) -> str:
        """An author no endpoint makes (an app, or a deactivated person); answers its uuid."""
        with self.database.session(write=True) as session, session.begin():
            author = Author(
                uuid=str(uuid.uuid4()),
                entity_type=entity_type,
                entity_id=900_000_000 + uuid.uuid4().int % 100_000_000,
                name=f"Extra {entity_type}",
                email="",
                is_active=active,
            )
            session.add(author)
            session.flush()
            return author.uuid

    def audit_actions(self, code: str, number: int) -> list[str]:
        with self.database.session(write=False) as session:
            project_id = session.scalar(select(Project.id).where(Project.code == code))
            return list(
                session.scalars(
                    select(AuditEntry.action)
                    .where(
                        AuditEntry.project_id == project_id,
                        AuditEntry.entity_type == "review",
                        AuditEntry.entity_id == str(number),
                    )
                    .order_by(AuditEntry.id)
                )
            )


@pytest.fixture
def db(server: LiveServer) -> Iterator[Db]:
    opened = Db(server)
    yield opened
    opened.close()
