"""Files received but not yet placed: hashed, in temp blobs, until the service stores them or
they are discarded. No HTTP here: the upload route (`attachments.upload`) fills these from the
request, the service places them."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from testament.kit.errors import InsufficientStorage
from testament.storage import BlobWriter


@dataclass
class StagedFile:
    """A received file, hashed and written to a temp blob, not yet placed."""

    index: int
    filename: str
    mime: str
    writer: BlobWriter
    size: int = 0
    sha256: str = ""
    pending: bytearray = field(default_factory=bytearray)


@contextmanager
def out_of_space_is_507() -> Iterator[None]:
    """A full disk (or quota) is the contract's 507, not a 500."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise InsufficientStorage(
                "Insufficient storage: the server has no room left for these files."
            ) from exc
        raise


def discard_all(files: list[StagedFile]) -> None:
    """Drop the temp blobs not placed (a no-op for those the service placed)."""
    for staged in files:
        staged.writer.discard()
