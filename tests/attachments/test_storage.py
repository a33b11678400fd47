"""The local blob store and the streaming multipart parser, on their own."""

from __future__ import annotations

import io
import os
import random
import time
from pathlib import Path

import httpx
import pytest

from testament.attachments.multipart import (
    MultipartError,
    MultipartParser,
    PartData,
    PartStart,
    boundary_of,
    header_params,
)
from testament.attachments.names import display_filename, extension_of, mime_type
from testament.storage import BlobNotFound
from testament.storage.local import LocalAttachmentStore
from tests.attachments.helpers import sha256


@pytest.fixture
def store(tmp_path: Path) -> LocalAttachmentStore:
    return LocalAttachmentStore(tmp_path / "attachments")


class TestLocalStore:
    def test_put_is_content_addressed(self, store: LocalAttachmentStore) -> None:
        content = os.urandom(3 * 1024 * 1024 + 7)
        digest, size = store.put(io.BytesIO(content))
        assert (digest, size) == (sha256(content), len(content))
        assert store.path_for(digest) == store.root / digest[:2] / digest[2:4] / digest
        with store.open(digest) as stream:
            assert stream.read() == content
        assert store.put(io.BytesIO(content)) == (digest, size)
        assert list(store.tmp_dir.iterdir()) == []

    def test_place_reports_whether_the_content_is_new(self, store: LocalAttachmentStore) -> None:
        first, second = store.writer(), store.writer()
        for writer in (first, second):
            writer.write(b"same")
        assert first.finish() == second.finish() == (sha256(b"same"), 4)
        assert first.place() is True
        assert second.place() is False
        assert list(store.tmp_dir.iterdir()) == []

    def test_discard_leaves_nothing(self, store: LocalAttachmentStore) -> None:
        writer = store.writer()
        writer.write(b"never placed")
        writer.discard()
        writer.discard()
        assert list(store.tmp_dir.iterdir()) == []
        assert not store.exists(sha256(b"never placed"))

    def test_delete_and_missing_blobs(self, store: LocalAttachmentStore) -> None:
        digest, _ = store.put(io.BytesIO(b"bye"))
        store.delete(digest)
        store.delete(digest)
        assert not store.exists(digest)
        with pytest.raises(BlobNotFound):
            store.open(digest)

    def test_retire_then_restore_or_purge(self, store: LocalAttachmentStore) -> None:
        digest, _ = store.put(io.BytesIO(b"maybe"))
        retired = store.retire(digest)
        assert retired is not None and not store.exists(digest)
        retired.restore()
        assert store.exists(digest)
        retired = store.retire(digest)
        assert retired is not None
        retired.purge()
        assert not store.exists(digest) and list(store.tmp_dir.iterdir()) == []
        assert store.retire(digest) is None

    @pytest.mark.parametrize("address", ["../../etc/passwd", "A" * 64, "abc", ""])
    def test_only_sha256_addresses(self, store: LocalAttachmentStore, address: str) -> None:
        with pytest.raises(ValueError):
            store.path_for(address)

    def test_sweep_clears_stale_leftovers(self, store: LocalAttachmentStore) -> None:
        digest, _ = store.put(io.BytesIO(b"kept"))
        retired = store.retire(digest)
        assert retired is not None
        partial = store.writer()
        partial.write(b"half")
        fresh = store.writer()
        old = time.time() - 3 * 24 * 3600
        for path in store.tmp_dir.iterdir():
            if path.name != fresh._temp.name:
                os.utime(path, (old, old))
        store.sweep()
        assert store.exists(digest)
        assert [p.name for p in store.tmp_dir.iterdir()] == [fresh._temp.name]
        fresh.discard()
        partial.discard()


def _multipart(files: list[tuple[str, tuple[str | None, bytes]]]) -> tuple[bytes, bytes]:
    request = httpx.Request("POST", "http://x/", files=files)
    return request.read(), boundary_of(request.headers["content-type"])


def _parse(body: bytes, boundary: bytes, max_chunk: int) -> list[tuple[PartStart, bytes]]:
    parser = MultipartParser(boundary)
    parts: list[tuple[PartStart, bytes]] = []
    start = 0
    while start < len(body):
        size = random.randint(1, max_chunk)
        for event in parser.feed(body[start : start + size]):
            if isinstance(event, PartStart):
                parts.append((event, b""))
            elif isinstance(event, PartData):
                parts[-1] = (parts[-1][0], parts[-1][1] + event.data)
        start += size
    parser.close()
    return parts


class TestMultipartParser:
    @pytest.mark.parametrize("max_chunk", [1, 7, 100, 70_000])
    def test_any_chunking_gives_the_same_parts(self, max_chunk: int) -> None:
        tricky = b"\r\n--" + b"x" * 100 + b"\r\n\r\n--"
        files = [
            ("file[]", ("a.bin", tricky + os.urandom(5000))),
            ("file[]", ("b.txt", b"")),
            ("note", (None, b"plain field")),
        ]
        body, boundary = _multipart(files)  # type: ignore[arg-type]
        parts = _parse(body, boundary, max_chunk)
        assert [p[1] for p in parts] == [f[1][1] for f in files]
        assert [(p[0].name, p[0].filename) for p in parts] == [
            ("file[]", "a.bin"),
            ("file[]", "b.txt"),
            ("note", None),
        ]

    def test_a_body_without_the_closing_boundary_is_an_error(self) -> None:
        body, boundary = _multipart([("file[]", ("a", b"data"))])
        parser = MultipartParser(boundary)
        parser.feed(body[:-10])
        with pytest.raises(MultipartError):
            parser.close()

    def test_a_part_without_content_disposition_is_an_error(self) -> None:
        parser = MultipartParser(b"b")
        with pytest.raises(MultipartError):
            parser.feed(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--")

    def test_endless_part_headers_are_an_error(self) -> None:
        parser = MultipartParser(b"b")
        with pytest.raises(MultipartError):
            parser.feed(b"--b\r\nX-Long: " + b"a" * 20_000)

    @pytest.mark.parametrize(
        ("content_type", "ok"),
        [
            ("multipart/form-data; boundary=abc", True),
            ('multipart/form-data; boundary="a b:c"', True),
            ("multipart/form-data", False),
            ("application/json", False),
            ("multipart/form-data; boundary=" + "x" * 71, False),
        ],
    )
    def test_boundary_of(self, content_type: str, ok: bool) -> None:
        if ok:
            assert boundary_of(content_type)
        else:
            with pytest.raises(MultipartError):
                boundary_of(content_type)

    def test_header_params_decode_extended_and_quoted_names(self) -> None:
        essence, params = header_params(
            'form-data; name="file[]"; filename="a %22b%22.txt"; filename*=UTF-8\'\'%C3%A9t%C3%A9.txt'
        )
        assert essence == "form-data"
        assert params == {"name": "file[]", "filename": "été.txt"}
        assert header_params('form-data; filename="a %22b%22.txt"')[1]["filename"] == 'a "b".txt'


class TestNames:
    @pytest.mark.parametrize(
        ("raw", "shown"),
        [
            ("../../etc/passwd", "passwd"),
            ("C:\\temp\\x.log", "x.log"),
            ("..", "file"),
            ("", "file"),
            (None, "file"),
            ("a\x00b\nc.txt", "abc.txt"),
            (".env", ".env"),
            ("x" * 300 + ".png", "x" * 251 + ".png"),
        ],
    )
    def test_display_filename(self, raw: str | None, shown: str) -> None:
        assert display_filename(raw) == shown

    def test_extension_and_mime(self) -> None:
        assert extension_of("A.Tar.GZ") == "gz"
        assert extension_of(".env") == "" and extension_of("noext") == ""
        assert mime_type("Image/PNG; charset=x", "a.bin") == "image/png"
        assert mime_type("not a type", "a.json") == "application/json"
        assert mime_type(None, "unknown") == "application/octet-stream"
