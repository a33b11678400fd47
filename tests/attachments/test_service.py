"""The service functions other resources call, and blob bookkeeping across commit and rollback.

In-process against a real database of each backend (no HTTP route exposes links directly).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.attachments import service
from testament.attachments.staging import StagedFile
from testament.db import Database
from testament.kit.errors import Invalid
from testament.migrate import upgrade
from testament.models.attachments import Attachment
from testament.projects.schemas import ProjectCreate
from testament.projects.service import create_project
from testament.settings import Settings
from testament.storage.local import LocalAttachmentStore
from testament.users.service import create_user
from tests.attachments.helpers import sha256
from tests.conftest import BACKENDS
from tests.factories import unique_code

# Blob bookkeeping: advisory locks and insert-or-ignore differ by dialect.
pytestmark = pytest.mark.both_backends

BASE_URL = "http://testament.example"


@dataclass
class World:
    database: Database
    store: LocalAttachmentStore
    actor: Actor

    def project(self) -> ProjectContext:
        with self.database.session() as session, session.begin():
            project = create_project(session, None, ProjectCreate(title="P", code=unique_code()))
        return ProjectContext(project=project, actor=self.actor)

    def upload(self, ctx: ProjectContext, *contents: bytes) -> list[str]:
        with self.database.session() as session, session.begin():
            uploaded = service.store_uploads(
                session, ctx, self.store, [self.stage(c) for c in contents], BASE_URL
            )
        return [u.hash for u in uploaded]

    def stage(self, content: bytes) -> StagedFile:
        writer = self.store.writer()
        writer.write(content)
        digest, size = writer.finish()
        return StagedFile(0, "f.bin", "application/octet-stream", writer, size, digest)

    def blob_exists(self, content: bytes) -> bool:
        return self.store.path_for(sha256(content)).is_file()


@pytest.fixture(params=BACKENDS)
def world(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    database_url_for: Callable[[str], str | None],
) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path, database_url=database_url_for(request.param))
    database = Database(settings)
    upgrade(database.engine)
    with database.session() as session, session.begin():
        user = create_user(session, None, email="a@example.com", name="A", role_name="admin")
        actor = Actor(user.id, None, "admin", BUILTIN_ROLE_PERMISSIONS["admin"], None)
    yield World(database, LocalAttachmentStore(tmp_path / "attachments"), actor)
    database.engine.dispose()


def linked(world: World, entity_type: str, ids: list[int]) -> dict[int, list[str]]:
    with world.database.session(write=False) as session:
        found = service.for_entities(session, entity_type, ids, BASE_URL)
    return {entity_id: [a.hash for a in files] for entity_id, files in found.items()}


class TestLink:
    def test_links_in_order_and_reads_back(self, world: World) -> None:
        ctx = world.project()
        a, b, c = world.upload(ctx, b"a", b"bb", b"ccc")
        with world.database.session() as session, session.begin():
            service.link(session, ctx.project.id, [c, a], "case", 10)
            service.link(session, ctx.project.id, [b], "case", 11)
        assert linked(world, "case", [10, 11, 12]) == {10: [c, a], 11: [b]}
        with world.database.session(write=False) as session:
            [first, second] = service.for_entities(session, "case", [10], BASE_URL)[10]
        assert (first.hash, first.filename, first.size, first.mime) == (
            c,
            "f.bin",
            3,
            "application/octet-stream",
        )
        assert first.url.startswith(f"{BASE_URL}/attachments/{c}/f.bin?expires=")
        assert second.hash == a

    def test_linking_twice_is_a_no_op(self, world: World) -> None:
        ctx = world.project()
        a, b = world.upload(ctx, b"a", b"b")
        for hashes in ([a], [a, b, a]):
            with world.database.session() as session, session.begin():
                service.link(session, ctx.project.id, hashes, "result", 5)
        assert linked(world, "result", [5]) == {5: [a, b]}

    @pytest.mark.parametrize("whose", ["unknown", "other project"])
    def test_a_hash_not_in_the_project_is_422_naming_the_field(
        self, world: World, whose: str
    ) -> None:
        ctx = world.project()
        [mine] = world.upload(ctx, b"mine")
        other = world.project()
        [theirs] = world.upload(other, b"theirs")
        bad = "f" * 40 if whose == "unknown" else theirs
        with (
            world.database.session() as session,
            session.begin(),
            pytest.raises(Invalid) as raised,
        ):
            service.link(
                session, ctx.project.id, [mine, bad], "step", 1, field="steps[0].attachments"
            )
        assert [f.field for f in raised.value.fields] == ["steps[0].attachments"]
        assert bad in raised.value.message
        assert linked(world, "step", [1]) == {}

    def test_an_unknown_entity_type_is_a_programming_error(self, world: World) -> None:
        with world.database.session() as session, pytest.raises(ValueError):
            service.link(session, 1, [], "milestone", 1)


class TestUnlinkAll:
    def test_removes_only_those_entities_links(self, world: World) -> None:
        ctx = world.project()
        a, b = world.upload(ctx, b"a", b"b")
        with world.database.session() as session, session.begin():
            service.link(session, ctx.project.id, [a], "defect", 1)
            service.link(session, ctx.project.id, [a, b], "defect", 2)
            service.link(session, ctx.project.id, [b], "run", 1)
        with world.database.session() as session, session.begin():
            service.unlink_all(session, "defect", [1, 2])
            service.unlink_all(session, "defect", [])
        assert linked(world, "defect", [1, 2]) == {}
        assert linked(world, "run", [1]) == {1: [b]}
        with world.database.session(write=False) as session:
            assert session.scalar(select(Attachment.id).where(Attachment.hash == a)) is not None


class TestForEntities:
    def test_one_query_for_all_entities(self, world: World) -> None:
        ctx = world.project()
        hashes = world.upload(ctx, b"1", b"2", b"3")
        with world.database.session() as session, session.begin():
            for entity_id, h in enumerate(hashes):
                service.link(session, ctx.project.id, [h], "plan", entity_id)
        linked(world, "plan", [0])  # the signing key is read once per process
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(world.database.engine, "before_cursor_execute", count)
        try:
            assert linked(world, "plan", [0, 1, 2]) == {
                0: hashes[:1],
                1: hashes[1:2],
                2: hashes[2:],
            }
        finally:
            event.remove(world.database.engine, "before_cursor_execute", count)
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1

    def test_deleted_attachments_disappear_from_entities(self, world: World) -> None:
        ctx = world.project()
        a, b = world.upload(ctx, b"a", b"b")
        with world.database.session() as session, session.begin():
            service.link(session, ctx.project.id, [a, b], "result_step", 3)
        with world.database.session() as session, session.begin():
            service.delete_attachment(session, world.actor, world.store, a)
        assert linked(world, "result_step", [3]) == {3: [b]}


class TestBlobsFollowTheTransaction:
    def test_a_rolled_back_upload_leaves_no_blob(self, world: World) -> None:
        ctx = world.project()
        content = os.urandom(64)
        with world.database.session() as session:
            session.begin()
            service.store_uploads(session, ctx, world.store, [world.stage(content)], BASE_URL)
            assert world.blob_exists(content)
            session.rollback()
        assert not world.blob_exists(content)
        assert list(world.store.tmp_dir.iterdir()) == []

    def test_a_rolled_back_upload_keeps_a_blob_others_use(self, world: World) -> None:
        ctx = world.project()
        content = os.urandom(64)
        world.upload(ctx, content)
        with world.database.session() as session:
            session.begin()
            service.store_uploads(session, ctx, world.store, [world.stage(content)], BASE_URL)
            session.rollback()
        assert world.blob_exists(content)

    def test_a_rolled_back_delete_puts_the_blob_back(self, world: World) -> None:
        ctx = world.project()
        content = os.urandom(64)
        [h] = world.upload(ctx, content)
        with world.database.session() as session:
            session.begin()
            service.delete_attachment(session, world.actor, world.store, h)
            assert not world.blob_exists(content)
            session.rollback()
        assert world.blob_exists(content)
        with world.database.session() as session, session.begin():
            service.delete_attachment(session, world.actor, world.store, h)
        assert not world.blob_exists(content)
        assert list(world.store.tmp_dir.iterdir()) == []

    def test_project_files_go_unless_shared(self, world: World) -> None:
        ctx, other = world.project(), world.project()
        only_here, shared = os.urandom(64), os.urandom(64)
        world.upload(ctx, only_here, shared)
        world.upload(other, shared)
        with world.database.session() as session, session.begin():
            service.delete_project_files(session, world.store, ctx.project.id)
        assert not world.blob_exists(only_here)
        assert world.blob_exists(shared)
        with world.database.session(write=False) as session:
            assert _count(session, ctx.project.id) == 0
            assert _count(session, other.project.id) == 1


def _count(session: Session, project_id: int) -> int:
    return len(
        session.scalars(select(Attachment.id).where(Attachment.project_id == project_id)).all()
    )
