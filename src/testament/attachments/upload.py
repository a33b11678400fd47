"""Receiving an upload: the multipart body is streamed into blob writers as it arrives.

Limits are enforced while the bytes flow (per file, all files together, number of files), so a
missing or understated Content-Length gains nothing; a declared Content-Length beyond what any
valid upload needs is refused before a byte of the body is read. Nothing received is visible
until the service places it; on any failure every temp file is discarded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyio import to_thread
from starlette.requests import ClientDisconnect, Request

from testament.attachments.multipart import (
    MAX_HEADER_BYTES,
    MultipartError,
    MultipartParser,
    PartData,
    PartEnd,
    PartStart,
    boundary_of,
)
from testament.attachments.names import display_filename, mime_type
from testament.attachments.staging import StagedFile, discard_all, out_of_space_is_507
from testament.kit.errors import (
    BadRequest,
    FieldError,
    Invalid,
    PayloadTooLarge,
)
from testament.settings import Settings
from testament.storage import AttachmentStore

FILE_FIELD = "file[]"
_FILE_FIELD_NAMES = re.compile(r"^file(\[\d*\])?$")
# Form fields other than files are ignored; this many are tolerated.
MAX_OTHER_PARTS = 16
# Bytes handed to a blob writer at once (and so held in memory per request at most).
WRITE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_request_bytes: int
    max_files: int

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(
            settings.attachment_max_file_bytes,
            settings.attachment_max_request_bytes,
            settings.attachment_max_files,
        )

    @property
    def max_body_bytes(self) -> int:
        """The whole body: files plus the multipart framing a valid upload may need."""
        framing = 64 * 1024 + (self.max_files + MAX_OTHER_PARTS) * (MAX_HEADER_BYTES + 256)
        return self.max_request_bytes + framing


def _too_large(field_name: str, message: str) -> PayloadTooLarge:
    return PayloadTooLarge(f"Payload too large: {message}", [FieldError(field_name, message)])


def check_declared_length(request: Request, limits: UploadLimits) -> None:
    """Refuse up front what the client itself says is too big (before reading the body)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise _too_large(
            FILE_FIELD,
            f"the request is {declared} bytes; an upload may carry at most "
            f"{limits.max_request_bytes} bytes of files.",
        )


def check_content_type(request: Request) -> bytes:
    try:
        return boundary_of(request.headers.get("content-type", ""))
    except MultipartError as exc:
        raise BadRequest(str(exc), [FieldError("body", str(exc))]) from exc


class _Receiver:
    def __init__(self, store: AttachmentStore, limits: UploadLimits, boundary: bytes) -> None:
        self.store = store
        self.limits = limits
        self.parser = MultipartParser(boundary)
        self.files: list[StagedFile] = []
        self.current: StagedFile | None = None
        self.other_parts = 0
        self.body_bytes = 0
        self.part_bytes = 0

    async def feed(self, chunk: bytes) -> None:
        self.body_bytes += len(chunk)
        if self.body_bytes > self.limits.max_body_bytes:
            raise self._request_too_large()
        try:
            events = self.parser.feed(chunk)
        except MultipartError as exc:
            raise BadRequest(str(exc), [FieldError("body", str(exc))]) from exc
        for event in events:
            if isinstance(event, PartStart):
                await self._start(event)
            elif isinstance(event, PartData):
                await self._data(event.data)
            elif isinstance(event, PartEnd) and self.current is not None:
                await self._flush(self.current)
                self.current.sha256, _size = await to_thread.run_sync(self.current.writer.finish)
                self.current = None

    def finish(self) -> list[StagedFile]:
        try:
            self.parser.close()
        except MultipartError as exc:
            raise BadRequest(str(exc), [FieldError("body", str(exc))]) from exc
        if not self.files:
            raise Invalid.field(FILE_FIELD, "Send at least one file in the `file[]` field.")
        return self.files

    def discard(self) -> None:
        # Synchronous on purpose: it must also run when the request task is being cancelled.
        discard_all(self.files)

    async def _start(self, part: PartStart) -> None:
        if not _FILE_FIELD_NAMES.fullmatch(part.name or ""):
            self.other_parts += 1
            if self.other_parts > MAX_OTHER_PARTS:
                raise _too_large(part.name or "body", "too many form fields besides `file[]`.")
            return
        filename = display_filename(part.filename)
        index = len(self.files)
        if index >= self.limits.max_files:
            raise _too_large(
                f"file[{index}]",
                f"too many files: `{filename}` is file number {index + 1}; "
                f"at most {self.limits.max_files} files may be sent at once.",
            )
        writer = await to_thread.run_sync(self.store.writer)
        self.current = StagedFile(index, filename, mime_type(part.content_type, filename), writer)
        self.files.append(self.current)

    async def _data(self, data: bytes) -> None:
        self.part_bytes += len(data)
        staged = self.current
        if staged is not None:
            staged.size += len(data)
            if staged.size > self.limits.max_file_bytes:
                raise _too_large(
                    f"file[{staged.index}]",
                    f"file `{staged.filename}` is larger than the "
                    f"{self.limits.max_file_bytes} bytes allowed per file.",
                )
        if self.part_bytes > self.limits.max_request_bytes:
            raise self._request_too_large()
        if staged is not None:
            staged.pending += data
            if len(staged.pending) >= WRITE_BYTES:
                await self._flush(staged)

    async def _flush(self, staged: StagedFile) -> None:
        if staged.pending:
            data = bytes(staged.pending)
            staged.pending.clear()
            await to_thread.run_sync(staged.writer.write, data)

    def _request_too_large(self) -> PayloadTooLarge:
        at = self.current
        where = f" (at file `{at.filename}`)" if at is not None else ""
        return _too_large(
            f"file[{at.index}]" if at is not None else FILE_FIELD,
            f"the files together exceed the {self.limits.max_request_bytes} bytes allowed "
            f"per request{where}.",
        )


async def receive_files(
    request: Request, store: AttachmentStore, limits: UploadLimits, boundary: bytes
) -> list[StagedFile]:
    """Stream the `file[]` parts of the body into temp blobs (all discarded on any failure)."""
    receiver = _Receiver(store, limits, boundary)
    try:
        with out_of_space_is_507():
            async for chunk in request.stream():
                await receiver.feed(chunk)
        return receiver.finish()
    except ClientDisconnect as exc:
        receiver.discard()
        raise BadRequest("The client disconnected before the upload was complete.") from exc
    except BaseException:
        receiver.discard()
        raise
