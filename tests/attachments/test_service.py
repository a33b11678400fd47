"""The service functions other resources call, and blob bookkeeping across commit and rollback.

In-process in the live server's database and attachment store, in the acting fixture's units of
work (no HTTP route exposes links directly).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testament.attachments import service
from testament.attachments.staging import StagedFile
from testament.kit.errors import Invalid
from testament.models.attachments import Attachment
from testament.storage.local import LocalAttachmentStore
from tests.acting import Acting, project_id, under_the_api
from tests.attachments.helpers import sha256, store_root
from tests.factories import make_project
from tests.live import LiveServer

# Blob bookkeeping: advisory locks and insert-or-ignore differ by dialect.
pytestmark = pytest.mark.both_backends

BASE_URL = "http://testament.example"
# Made-up entity ids no real row has (links are polymorphic, without foreign keys), unique in
# the session: the server and its links outlive each test.
_ENTITY_IDS = itertools.count(20_000_000)


def entity_ids(count: int) -> list[int]:
    return [next(_ENTITY_IDS) for _ in range(count)]


@dataclass
class World:
    server: LiveServer
    api: httpx.Client
    acting: Acting
    store: LocalAttachmentStore

    def project(self) -> str:
        """A new project's code."""
        return make_project(self.api)

    def upload(self, code: str, *contents: bytes) -> list[str]:
        with self.acting(code) as (session, ctx):
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


@pytest.fixture
def world(server: LiveServer, api: httpx.Client, acting: Acting) -> World:
    """The live server's database and attachment store, as the admin."""
    return World(server, api, acting, LocalAttachmentStore(store_root(server)))


def linked(world: World, entity_type: str, ids: list[int]) -> dict[int, list[str]]:
    with under_the_api(world.server) as session:
        found = service.for_entities(session, entity_type, ids, BASE_URL)
    return {entity_id: [a.hash for a in files] for entity_id, files in found.items()}


class TestLink:
    def test_links_in_order_and_reads_back(self, world: World) -> None:
        code = world.project()
        a, b, c = world.upload(code, b"a", b"bb", b"ccc")
        first_case, second_case, third_case = entity_ids(3)
        with world.acting(code) as (session, ctx):
            service.link(session, ctx.project.id, [c, a], "case", first_case)
            service.link(session, ctx.project.id, [b], "case", second_case)
        assert linked(world, "case", [first_case, second_case, third_case]) == {
            first_case: [c, a],
            second_case: [b],
        }
        with under_the_api(world.server) as session:
            found = service.for_entities(session, "case", [first_case], BASE_URL)
            [first, second] = found[first_case]
        assert (first.hash, first.filename, first.size, first.mime) == (
            c,
            "f.bin",
            3,
            "application/octet-stream",
        )
        assert first.url.startswith(f"{BASE_URL}/attachments/{c}/f.bin?expires=")
        assert second.hash == a

    def test_linking_twice_is_a_no_op(self, world: World) -> None:
        code = world.project()
        a, b = world.upload(code, b"a", b"b")
        [result] = entity_ids(1)
        for hashes in ([a], [a, b, a]):
            with world.acting(code) as (session, ctx):
                service.link(session, ctx.project.id, hashes, "result", result)
        assert linked(world, "result", [result]) == {result: [a, b]}

    @pytest.mark.parametrize("whose", ["unknown", "other project"])
    def test_a_hash_not_in_the_project_is_422_naming_the_field(
        self, world: World, whose: str
    ) -> None:
        code = world.project()
        [mine] = world.upload(code, b"mine")
        other = world.project()
        [theirs] = world.upload(other, b"theirs")
        bad = "f" * 40 if whose == "unknown" else theirs
        [step] = entity_ids(1)
        with (
            pytest.raises(Invalid) as raised,
            world.acting(code) as (session, ctx),
        ):
            service.link(
                session, ctx.project.id, [mine, bad], "step", step, field="steps[0].attachments"
            )
        assert [f.field for f in raised.value.fields] == ["steps[0].attachments"]
        assert bad in raised.value.message
        assert linked(world, "step", [step]) == {}

    def test_an_unknown_entity_type_is_a_programming_error(self, world: World) -> None:
        code = world.project()
        with pytest.raises(ValueError), world.acting(code) as (session, ctx):
            service.link(session, ctx.project.id, [], "milestone", 1)


class TestUnlinkAll:
    def test_removes_only_those_entities_links(self, world: World) -> None:
        code = world.project()
        a, b = world.upload(code, b"a", b"b")
        first, second, run = entity_ids(3)
        with world.acting(code) as (session, ctx):
            service.link(session, ctx.project.id, [a], "defect", first)
            service.link(session, ctx.project.id, [a, b], "defect", second)
            service.link(session, ctx.project.id, [b], "run", run)
        with world.acting(code) as (session, _):
            service.unlink_all(session, "defect", [first, second])
            service.unlink_all(session, "defect", [])
        assert linked(world, "defect", [first, second]) == {}
        assert linked(world, "run", [run]) == {run: [b]}
        with under_the_api(world.server) as session:
            assert session.scalar(select(Attachment.id).where(Attachment.hash == a)) is not None


class TestForEntities:
    def test_one_query_for_all_entities(self, world: World) -> None:
        code = world.project()
        hashes = world.upload(code, b"1", b"2", b"3")
        plans = entity_ids(3)
        with world.acting(code) as (session, ctx):
            for entity_id, h in zip(plans, hashes, strict=True):
                service.link(session, ctx.project.id, [h], "plan", entity_id)
        linked(world, "plan", plans[:1])  # the signing key is read once per process
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(str(args[2]))

        engine = world.server.database().engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert linked(world, "plan", plans) == {
                plans[0]: hashes[:1],
                plans[1]: hashes[1:2],
                plans[2]: hashes[2:],
            }
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1

    def test_deleted_attachments_disappear_from_entities(self, world: World) -> None:
        code = world.project()
        a, b = world.upload(code, b"a", b"b")
        [result_step] = entity_ids(1)
        with world.acting(code) as (session, ctx):
            service.link(session, ctx.project.id, [a, b], "result_step", result_step)
        with world.acting(code) as (session, ctx):
            service.delete_attachment(session, ctx.actor, world.store, a)
        assert linked(world, "result_step", [result_step]) == {result_step: [b]}


class TestBlobsFollowTheTransaction:
    def test_a_rolled_back_upload_leaves_no_blob(self, world: World) -> None:
        code = world.project()
        content = os.urandom(64)
        with world.acting(code, commit=False) as (session, ctx):
            service.store_uploads(session, ctx, world.store, [world.stage(content)], BASE_URL)
            assert world.blob_exists(content)
        assert not world.blob_exists(content)
        assert list(world.store.tmp_dir.iterdir()) == []

    def test_a_rolled_back_upload_keeps_a_blob_others_use(self, world: World) -> None:
        code = world.project()
        content = os.urandom(64)
        world.upload(code, content)
        with world.acting(code, commit=False) as (session, ctx):
            service.store_uploads(session, ctx, world.store, [world.stage(content)], BASE_URL)
        assert world.blob_exists(content)

    def test_a_rolled_back_delete_puts_the_blob_back(self, world: World) -> None:
        code = world.project()
        content = os.urandom(64)
        [h] = world.upload(code, content)
        with world.acting(code, commit=False) as (session, ctx):
            service.delete_attachment(session, ctx.actor, world.store, h)
            assert not world.blob_exists(content)
        assert world.blob_exists(content)
        with world.acting(code) as (session, ctx):
            service.delete_attachment(session, ctx.actor, world.store, h)
        assert not world.blob_exists(content)
        assert list(world.store.tmp_dir.iterdir()) == []

    def test_project_files_go_unless_shared(self, world: World) -> None:
        code, other = world.project(), world.project()
        only_here, shared = os.urandom(64), os.urandom(64)
        world.upload(code, only_here, shared)
        world.upload(other, shared)
        with world.acting(code) as (session, ctx):
            service.delete_project_files(session, world.store, ctx.project.id)
        assert not world.blob_exists(only_here)
        assert world.blob_exists(shared)
        with under_the_api(world.server) as session:
            assert _count(session, code) == 0
            assert _count(session, other) == 1


def _count(session: Session, code: str) -> int:
    in_project = Attachment.project_id == project_id(session, code)
    return len(session.scalars(select(Attachment.id).where(in_project)).all())
