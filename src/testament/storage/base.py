"""What attachment storage must offer: content-addressed blobs, written atomically.

A blob is named by the SHA-256 of its bytes, so identical content is stored once. Writes go
through a `BlobWriter`: bytes are streamed to a private temporary object while hashed, and only
`place()` makes them visible under their content address, atomically. Client file names never
reach the store.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Protocol

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class BlobNotFound(LookupError):
    """No blob is stored under this content address."""


def check_sha256(sha256: str) -> str:
    """The address, verified to be 64 lower-case hex digits (it becomes part of a path or key)."""
    if not SHA256_PATTERN.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class BlobWriter(Protocol):
    """One blob being written: `write()` chunks, `finish()`, then `place()` or `discard()`."""

    def write(self, data: bytes) -> None: ...

    def finish(self) -> tuple[str, int]:
        """Make the written bytes durable; answer their (sha256, size)."""
        ...

    def place(self) -> bool:
        """Move the finished bytes to their content address; True when they were not stored yet."""
        ...

    def discard(self) -> None:
        """Drop whatever was not placed. Safe to call more than once, and after `place()`."""
        ...


class RetiredBlob(Protocol):
    """A blob taken out of its address but kept until the deleting transaction is decided."""

    def purge(self) -> None: ...

    def restore(self) -> None: ...


class AttachmentStore(Protocol):
    def writer(self) -> BlobWriter: ...

    def put(self, stream: BinaryIO) -> tuple[str, int]:
        """Store everything `stream` yields; answer (sha256, size)."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """The blob's bytes, for reading (raises BlobNotFound)."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove the blob; removing an absent blob is not an error."""
        ...

    def retire(self, sha256: str) -> RetiredBlob | None:
        """Take the blob out of its address, restorably (None when it is not stored)."""
        ...
