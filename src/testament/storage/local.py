"""Blobs on the local disk: `<root>/ab/cd/<sha256>`, written via a temp file and a rename.

Temporary and retired files live in `<root>/tmp`, on the same file system as the blobs, so
moving them into place (or out of it) is an atomic rename.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from testament.storage.base import BlobNotFound, check_sha256

CHUNK_BYTES = 1024 * 1024
PART_SUFFIX = ".part"
RETIRED_SUFFIX = ".retired"
# Leftovers of a crashed process: older than this, no request can still be using them.
STALE_AFTER_SECONDS = 24 * 3600


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobWriter:
    def __init__(self, store: LocalAttachmentStore) -> None:
        self._store = store
        fd, name = tempfile.mkstemp(dir=store.tmp_dir, suffix=PART_SUFFIX)
        self._temp = Path(name)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self._digest = hashlib.sha256()
        self._size = 0
        self._sha256: str | None = None

    def write(self, data: bytes) -> None:
        assert self._file is not None, "write() after finish()"
        self._file.write(data)
        self._digest.update(data)
        self._size += len(data)

    def finish(self) -> tuple[str, int]:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
            self._sha256 = self._digest.hexdigest()
        assert self._sha256 is not None
        return self._sha256, self._size

    def place(self) -> bool:
        sha256, _size = self.finish()
        final = self._store.path_for(sha256)
        if final.is_file():
            self.discard()
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._temp, final)
        _fsync_dir(final.parent)
        return True

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._temp.unlink(missing_ok=True)


class LocalRetiredBlob:
    def __init__(self, final: Path, retired: Path) -> None:
        self._final = final
        self._retired = retired

    def purge(self) -> None:
        self._retired.unlink(missing_ok=True)

    def restore(self) -> None:
        if self._final.is_file():
            # Stored again meanwhile (same bytes, same address): the retired copy is redundant.
            self._retired.unlink(missing_ok=True)
        else:
            os.replace(self._retired, self._final)


class LocalAttachmentStore:
    """The `AttachmentStore` on a local (or mounted) file system."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.sweep()

    def path_for(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def writer(self) -> LocalBlobWriter:
        return LocalBlobWriter(self)

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        writer = self.writer()
        try:
            while chunk := stream.read(CHUNK_BYTES):
                writer.write(chunk)
            stored = writer.finish()
            writer.place()
            return stored
        finally:
            writer.discard()

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(sha256) from exc

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def retire(self, sha256: str) -> LocalRetiredBlob | None:
        final = self.path_for(sha256)
        retired = self.tmp_dir / f"{sha256}.{secrets.token_hex(8)}{RETIRED_SUFFIX}"
        try:
            os.replace(final, retired)
        except FileNotFoundError:
            return None
        return LocalRetiredBlob(final, retired)

    def sweep(self, older_than: float = STALE_AFTER_SECONDS) -> None:
        """Clear what crashed processes left in `tmp`: partial uploads go, retired blobs go back
        (when their fate is unknown, keeping bytes beats losing an attachment's content)."""
        cutoff = time.time() - older_than
        for path in self.tmp_dir.iterdir():
            try:
                if path.stat().st_mtime > cutoff:
                    continue
                if path.name.endswith(PART_SUFFIX):
                    path.unlink(missing_ok=True)
                elif path.name.endswith(RETIRED_SUFFIX):
                    LocalRetiredBlob(self.path_for(path.name.split(".")[0]), path).restore()
            except (OSError, ValueError):
                continue
