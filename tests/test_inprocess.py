"""Behaviour that needs a hand inside the server: failures that no client input can cause.

These run the real app in-process on a real SQLite file; the only thing changed is the failure
injected into the database session's commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from testament.access.tokens import issue_token
from testament.app import create_app
from testament.migrate import upgrade
from testament.models.project import Project
from testament.settings import Settings
from testament.users.service import create_user


@pytest.fixture
def app_and_token(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    app = create_app(Settings(data_dir=tmp_path))
    database = app.state.database
    upgrade(database.engine)
    with database.session() as session, session.begin():
        user = create_user(session, None, email="a@example.com", name="A", role_name="admin")
        secret = issue_token(session, user, "t").secret
    yield app, secret
    database.engine.dispose()


class FailingCommitSession(Session):
    def commit(self) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))


def test_a_failed_commit_is_an_error_response_not_a_lost_200(
    app_and_token: tuple[Any, str],
) -> None:
    app, token = app_and_token
    database = app.state.database
    database.write_sessions = sessionmaker(
        database.write_sessions.kw["bind"], class_=FailingCommitSession, expire_on_commit=False
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/project", json={"title": "x", "code": "LOST"}, headers={"Token": token}
        )
    assert response.status_code == 500
    body = response.json()
    assert body == {
        "status": False,
        "errorMessage": "Internal server error. The failure was logged on the server.",
        "errorFields": [],
    }
    assert "disk" not in response.text and "Traceback" not in response.text
    with database.session(write=False) as session:
        assert session.scalar(select(Project).where(Project.code == "LOST")) is None


def test_writes_are_audited_without_secrets(app_and_token: tuple[Any, str]) -> None:
    from testament.models.identity import AuditEntry

    app, token = app_and_token
    with TestClient(app) as client:
        created = client.post(
            "/v1/project", json={"title": "Audited", "code": "AUDIT"}, headers={"Token": token}
        )
        assert created.status_code == 200
        assert client.delete("/v1/project/AUDIT", headers={"Token": token}).status_code == 200
    with app.state.database.session(write=False) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [(e.entity_type, e.action) for e in entries]
    assert actions == [
        ("user", "create"),
        ("api_token", "create"),
        ("project", "create"),
        ("project", "delete"),
    ]
    project_create = entries[2]
    assert project_create.user_id is not None and project_create.token_id is not None
    assert project_create.via == "token" and project_create.entity_id == "AUDIT"
    assert project_create.remote_addr == "testclient"
    dumped = repr([(e.changes, e.summary, e.entity_id) for e in entries])
    assert token not in dumped and token[:20] not in dumped
