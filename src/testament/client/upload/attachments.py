"""Uploading the files results reference: size-checked first, a few requests at a time.

Each file is checked against the size limit before anything is sent (too large or missing:
skipped with a warning, the result still goes). Files with the same content are uploaded once
per command. Small files share a request (up to `FILES_PER_REQUEST`, `REQUEST_BYTES`); a
small thread pool (`WORKERS`) runs the requests, each read from disk only when its turn comes,
so memory holds a few requests' files at most.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from testament.client.http import ApiClient, ApiError
from testament.client.upload.model import Attachment, TestOutcome

DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
WORKERS = 4
FILES_PER_REQUEST = 10
REQUEST_BYTES = 8 * 1024 * 1024


@dataclass
class AttachmentTally:
    uploaded: int = 0  # files sent to the server
    reused: int = 0  # references answered by a file already sent (same content)
    bytes_sent: int = 0
    too_large: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # outside the report's folder
    failed: int = 0


@dataclass(frozen=True)
class Outcome:
    """What became of one attachment: its hash, or why it has none."""

    hash: str | None = None
    skipped: str | None = None  # a reason the result still goes without it
    error: str | None = None  # the upload failed: the result must not go without it


def confine(outcome: TestOutcome, roots: Sequence[Path]) -> None:
    """Mark the outcome's files that lie outside every root (links followed) as refused: a
    report may name any path (`/etc/passwd`, `../../secret`), and only its own folder and the
    folders the user allowed are uploaded from."""
    allowed = [root.resolve() for root in roots]
    for attachment in outcome.all_attachments():
        if attachment.path is None or attachment.content is not None:
            continue
        real = attachment.path.resolve()
        if not any(real.is_relative_to(root) for root in allowed):
            attachment.refused = (
                f"attachment {attachment.path} is outside the report's folder "
                f"{roots[0]} (allow its folder with --attachments-root DIR)"
            )


def filename_for(attachment: Attachment) -> str:
    name = PurePath(attachment.name.replace("\\", "/")).name or "attachment"
    if not PurePath(name).suffix:
        suffix = attachment.path.suffix if attachment.path is not None else ""
        if not suffix and attachment.mime:
            suffix = mimetypes.guess_extension(attachment.mime.split(";")[0].strip()) or ""
        name += suffix
    return name[:255]


def _mime(attachment: Attachment, filename: str) -> str:
    return attachment.mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"


class AttachmentUploader:
    def __init__(
        self,
        client: ApiClient | None,
        project_code: str,
        max_file_bytes: int,
        warn: Callable[[str], None],
    ) -> None:
        self.client = client  # None: a dry run, nothing is sent
        self.project_code = project_code
        self.max_file_bytes = max_file_bytes
        self.warn = warn
        self.tally = AttachmentTally()
        self._by_content: dict[str, str] = {}  # sha256 -> the server's hash
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="attachments")

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def check(self, attachment: Attachment) -> str | None:
        """Why this file cannot go (outside the allowed folders, missing, too large), or None."""
        if attachment.refused is not None:
            return attachment.refused
        size = attachment.size()
        where = str(attachment.path) if attachment.path is not None else attachment.name
        if size is None:
            return f"attachment {where} not found"
        if size > self.max_file_bytes:
            return (
                f"attachment {where} is {size} bytes, over the limit of {self.max_file_bytes} "
                "(--max-attachment-bytes)"
            )
        return None

    def upload(self, attachments: Sequence[Attachment]) -> list[Outcome]:
        """Upload the files (each distinct one once); answers an Outcome per attachment."""
        outcomes: list[Outcome | None] = [None] * len(attachments)
        groups: list[list[tuple[int, Attachment, int]]] = [[]]
        group_bytes = 0
        for index, attachment in enumerate(attachments):
            problem = self.check(attachment)
            if problem is not None:
                self._skip(attachment, problem)
                outcomes[index] = Outcome(skipped=problem)
                continue
            size = attachment.size() or 0
            if groups[-1] and (
                len(groups[-1]) >= FILES_PER_REQUEST or group_bytes + size > REQUEST_BYTES
            ):
                groups.append([])
                group_bytes = 0
            groups[-1].append((index, attachment, size))
            group_bytes += size
        if self.client is None:  # a dry run: count what would go, read nothing
            for group in groups:
                for index, _, size in group:
                    self.tally.uploaded += 1
                    self.tally.bytes_sent += size
                    outcomes[index] = Outcome(hash="dry-run")
            return [o if o is not None else Outcome(error="not uploaded") for o in outcomes]
        futures = [self._pool.submit(self._send_group, group) for group in groups if group]
        for future in futures:
            for index, outcome in future.result():
                outcomes[index] = outcome
        return [o if o is not None else Outcome(error="not uploaded") for o in outcomes]

    def _skip(self, attachment: Attachment, problem: str) -> None:
        with self._lock:
            if attachment.refused is not None:
                listed = self.tally.refused
            elif "not found" in problem:
                listed = self.tally.missing
            else:
                listed = self.tally.too_large
            where = str(attachment.path or attachment.name)
            if where not in listed:
                listed.append(where)
                self.warn(f"warning: {problem}; the result is sent without it.")

    def _send_group(self, group: list[tuple[int, Attachment, int]]) -> list[tuple[int, Outcome]]:
        answers: list[tuple[int, Outcome]] = []
        to_send: dict[str, tuple[str, bytes, str]] = {}  # sha256 -> file part
        waiting: list[tuple[int, str]] = []
        for index, attachment, _ in group:
            try:
                if attachment.content is not None:
                    content = attachment.content
                elif attachment.path is not None:
                    content = attachment.path.read_bytes()
                else:
                    raise OSError("no file and no content")
            except OSError as exc:
                answers.append((index, Outcome(error=f"cannot read {attachment.path}: {exc}")))
                continue
            digest = hashlib.sha256(content).hexdigest()
            with self._lock:
                known = self._by_content.get(digest)
            if known is not None:
                with self._lock:
                    self.tally.reused += 1
                answers.append((index, Outcome(hash=known)))
                continue
            filename = filename_for(attachment)
            to_send.setdefault(digest, (filename, content, _mime(attachment, filename)))
            waiting.append((index, digest))
        if not waiting:
            return answers
        digests = list(to_send)
        assert self.client is not None  # a dry run never gets here
        try:
            body = self.client.request(
                "POST",
                f"/v1/attachment/{self.project_code}",
                files=[("file[]", to_send[digest]) for digest in digests],
            )
            entries = body.get("result") if isinstance(body, dict) else None
            if not isinstance(entries, list) or len(entries) != len(digests):
                raise ApiError(None, "the server answered the upload with no file list")
            hashes = {
                digest: str(entry["hash"]) for digest, entry in zip(digests, entries, strict=True)
            }
        except (ApiError, KeyError, TypeError) as exc:
            with self._lock:
                self.tally.failed += len(waiting)
            reason = f"attachment upload failed: {exc}"
            return answers + [(index, Outcome(error=reason)) for index, _ in waiting]
        with self._lock:
            self._by_content.update(hashes)
            self.tally.uploaded += len(digests)
            self.tally.bytes_sent += sum(len(to_send[d][1]) for d in digests)
            self.tally.reused += len(waiting) - len(digests)
        return answers + [(index, Outcome(hash=hashes[digest])) for index, digest in waiting]
