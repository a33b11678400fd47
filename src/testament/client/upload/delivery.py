"""Sending prepared results in batches, so that none is lost and none is stored twice.

A batch holds at most `batch_size` results and about `BATCH_BYTES` of JSON. Its attachments go
first; a result whose attachment failed to upload is held back (counted failed) so that running
the command again sends it whole. The HTTP client retries connection errors, 408, 429 and 5xx;
every result carries its idempotency key, so a batch the server stored but whose answer was lost
is stored once when resent. A 413 splits the batch in half and sends each half; a 422 naming
results (`results[3]...`) drops those (failed, with the server's reason) and resends the rest.
Anything that says the run or the token is unusable (401, 403, 404, a 422 about the run) stops
the upload: what was not sent is counted failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from testament.client.http import ApiClient, ApiError
from testament.client.upload.attachments import AttachmentUploader
from testament.client.upload.payload import PreparedResult

BATCH_BYTES = 2 * 1024 * 1024
INLINE_BYTES = 32 * 1024 * 1024  # attachment content held in memory by a pending batch
FAILED_BATCHES_BEFORE_GIVING_UP = 3
RESULT_FIELD = re.compile(r"^results(?:\[(\d+)\]|\.(\d+))")
FAILURES_LISTED = 20


class UploadStopped(Exception):
    """The server refuses the whole upload (the run, the token, the project)."""


@dataclass
class DeliveryTally:
    delivered: int = 0
    failed: int = 0
    batches: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, prepared: PreparedResult, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < FAILURES_LISTED:
            self.failures.append(f"{prepared.label}: {reason}")


class Delivery:
    def __init__(
        self,
        client: ApiClient | None,
        project_code: str,
        run_id: int,
        uploader: AttachmentUploader,
        batch_size: int,
        on_progress: Callable[[int], None],
    ) -> None:
        self.client = client  # None: a dry run that batches and counts but sends nothing
        self.path = f"/v2/{project_code}/run/{run_id}/results"
        self.uploader = uploader
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.tally = DeliveryTally()
        self._pending: list[PreparedResult] = []
        self._pending_bytes = 0
        self._pending_inline = 0
        self._failed_in_a_row = 0

    def add(self, prepared: PreparedResult) -> None:
        if self._pending and (
            len(self._pending) >= self.batch_size
            or self._pending_bytes + prepared.size > BATCH_BYTES
            or self._pending_inline + prepared.inline_bytes > INLINE_BYTES
        ):
            self.flush()
        self._pending.append(prepared)
        self._pending_bytes += prepared.size
        self._pending_inline += prepared.inline_bytes

    def flush(self) -> None:
        batch, self._pending = self._pending, []
        self._pending_bytes = self._pending_inline = 0
        if not batch:
            return
        self.tally.batches += 1
        ready = self._attach(batch)
        if ready:
            self._send(ready)
        self.on_progress(len(batch))

    def _attach(self, batch: list[PreparedResult]) -> list[PreparedResult]:
        """Upload the batch's files and fill in their hashes; answers the results that can go."""
        slots = [(prepared, slot) for prepared in batch for slot in prepared.slots]
        outcomes = self.uploader.upload([attachment for _, (_, attachment) in slots])
        held: dict[int, str] = {}
        for (prepared, (hashes, _)), outcome in zip(slots, outcomes, strict=True):
            if outcome.hash is not None:
                hashes.append(outcome.hash)
            elif outcome.error is not None:
                held.setdefault(id(prepared), outcome.error)
        ready = []
        for prepared in batch:
            if id(prepared) in held:
                self.tally.fail(prepared, held[id(prepared)])
            else:
                ready.append(prepared)
        return ready

    def _send(self, batch: list[PreparedResult]) -> None:
        if self.client is None:
            self.tally.delivered += len(batch)
            return
        body = orjson.dumps({"results": [prepared.payload for prepared in batch]})
        try:
            self.client.request(
                "POST",
                self.path,
                content=body,
                headers={"Content-Type": "application/json"},
                expect=(200, 202),
            )
        except ApiError as exc:
            self._refused(batch, exc)
            return
        self._failed_in_a_row = 0
        self.tally.delivered += len(batch)

    def _refused(self, batch: list[PreparedResult], exc: ApiError) -> None:
        if exc.status == 413 and len(batch) > 1:
            middle = len(batch) // 2
            self._send(batch[:middle])
            self._send(batch[middle:])
            return
        if exc.status == 413:
            self.tally.fail(batch[0], f"too large for the server even alone ({exc})")
            return
        if exc.status == 422:
            named = _named_results(exc, len(batch))
            if not named:
                raise UploadStopped(str(exc))
            for index, reason in named.items():
                self.tally.fail(batch[index], reason)
            rest = [prepared for index, prepared in enumerate(batch) if index not in named]
            if rest:
                self._send(rest)
            return
        if exc.status in (401, 403, 404):
            raise UploadStopped(str(exc))
        # Retries are spent (connection errors, 429, 5xx): these results were not stored, or
        # were and will be found under their keys when the command runs again.
        for prepared in batch:
            self.tally.fail(prepared, str(exc))
        self._failed_in_a_row += 1
        if self._failed_in_a_row >= FAILED_BATCHES_BEFORE_GIVING_UP:
            raise UploadStopped(f"{FAILED_BATCHES_BEFORE_GIVING_UP} batches in a row failed: {exc}")


def _named_results(exc: ApiError, size: int) -> dict[int, str]:
    """The batch positions a 422 names, with the server's reason for each."""
    named: dict[int, str] = {}
    for entry in exc.fields:
        found = RESULT_FIELD.match(str(entry.get("field", "")))
        if found:
            index = int(found.group(1) or found.group(2))
            if 0 <= index < size:
                named.setdefault(index, f"{entry.get('field')}: {entry.get('error')}")
    return named
