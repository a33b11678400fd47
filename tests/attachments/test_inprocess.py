"""Failures no client can cause, injected into an in-process app on a real SQLite file:
a full disk, and a commit that fails after the files were placed."""

from __future__ import annotations

import errno
import os
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
from testament.models.attachments import Attachment
from testament.settings import Settings
from testament.storage import store_for
from testament.storage.local import LocalAttachmentStore, LocalBlobWriter
from testament.users.service import create_user
from tests.attachments.helpers import sha256


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


def _upload(client: TestClient, token: str, content: bytes) -> Any:
    headers = {"Token": token}
    created = client.post("/v1/project", json={"title": "x", "code": "FILES"}, headers=headers)
    assert created.status_code == 200
    return client.post(
        "/v1/attachment/FILES", files=[("file[]", ("a.bin", content))], headers=headers
    )


class FullDiskWriter(LocalBlobWriter):
    def write(self, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


class FullDiskStore(LocalAttachmentStore):
    def writer(self) -> LocalBlobWriter:
        return FullDiskWriter(self)


def test_a_full_disk_is_507_and_leaves_nothing(
    app_and_token: tuple[Any, str], tmp_path: Path
) -> None:
    app, token = app_and_token
    store = FullDiskStore(tmp_path / "attachments")
    app.state.attachment_store = store
    with TestClient(app) as client:
        response = _upload(client, token, os.urandom(1000))
    assert response.status_code == 507
    assert response.json()["status"] is False
    assert list(store.tmp_dir.iterdir()) == []


class FailingCommitSession(Session):
    def commit(self) -> None:
        if self.info.get("placed"):
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        super().commit()

    def flush(self, objects: Any = None) -> None:
        if any(isinstance(o, Attachment) for o in self.new):
            self.info["placed"] = True
        super().flush(objects)


def test_a_failed_commit_removes_the_placed_blob(app_and_token: tuple[Any, str]) -> None:
    app, token = app_and_token
    database = app.state.database
    database.write_sessions = sessionmaker(
        database.write_sessions.kw["bind"], class_=FailingCommitSession, expire_on_commit=False
    )
    content = os.urandom(2000)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = _upload(client, token, content)
        store = store_for(app.state)
    assert response.status_code == 500
    assert isinstance(store, LocalAttachmentStore)
    assert not store.path_for(sha256(content)).exists()
    assert list(store.tmp_dir.iterdir()) == []
    with database.session(write=False) as session:
        assert session.scalar(select(Attachment.id)) is None
