"""A test outcome as a v2 result (`POST /v2/{code}/run/{id}/results`), with its idempotency key.

Texts are kept to sizes a batch can carry: a message over 64 KiB or a stack trace over 256 KiB
is cut, the whole text attached as a file; stdout and stderr up to 16 KiB each are appended to
the message, longer ones attached (`stdout.txt`) with their last lines in the message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from testament.client.upload.model import Attachment, Step, TestOutcome

# Fixed forever: changing it would make every re-upload look new to the server.
KEY_NAMESPACE = uuid.UUID("6f0c5a9e-3b0d-5d0e-9a57-1e5b2c7d4f10")
MESSAGE_MAX = 64 * 1024
STACKTRACE_MAX = 256 * 1024
OUTPUT_INLINE_MAX = 16 * 1024
OUTPUT_TAIL = 4 * 1024
TITLE_MAX = 255


def idempotency_key(run_id: int, outcome: TestOutcome) -> str:
    """The same for the same execution of the same test sent to the same run: a retried
    request, or the same command run again on the same report, is stored once. A re-run job
    writes new timestamps (the fingerprint), so its results are new ones."""
    name = "\x1f".join(
        [
            str(run_id),
            outcome.source,
            outcome.identity,
            str(outcome.attempt),
            str(outcome.ordinal),
            outcome.fingerprint,
        ]
    )
    return str(uuid.uuid5(KEY_NAMESPACE, name))


@dataclass
class PreparedResult:
    """A result ready to send but for its attachment hashes, which `slots` will receive."""

    payload: dict[str, Any]
    # (the `attachments` list to append the hash to, the file)
    slots: list[tuple[list[str], Attachment]] = field(default_factory=list)
    label: str = ""  # how the summary names it: "report.xml: test_login"
    size: int = 0  # bytes of JSON, for batching

    @property
    def inline_bytes(self) -> int:
        return sum(len(a.content or b"") for _, a in self.slots)


def _cut(text: str, limit: int, attached_as: str) -> str:
    note = f"\n[... {len(text) - limit} more characters: the whole text is in {attached_as}]"
    return text[:limit] + note


def _texts(outcome: TestOutcome) -> tuple[str | None, str | None, list[Attachment]]:
    extra: list[Attachment] = []
    message = outcome.message or ""
    if len(message) > MESSAGE_MAX:
        extra.append(_text_file("message.txt", message))
        message = _cut(message, MESSAGE_MAX, "message.txt")
    stacktrace = outcome.stacktrace
    if stacktrace and len(stacktrace) > STACKTRACE_MAX:
        extra.append(_text_file("stacktrace.txt", stacktrace))
        stacktrace = _cut(stacktrace, STACKTRACE_MAX, "stacktrace.txt")
    for name, output in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        if not output:
            continue
        if len(output) <= OUTPUT_INLINE_MAX:
            message += f"\n\n--- {name} ---\n{output}"
        else:
            extra.append(_text_file(f"{name}.txt", output))
            message += (
                f"\n\n--- {name}: {len(output)} characters, attached as {name}.txt; "
                f"the last lines ---\n{output[-OUTPUT_TAIL:]}"
            )
    return message.strip() or None, stacktrace, extra


def _text_file(name: str, text: str) -> Attachment:
    return Attachment(name=name, content=text.encode("utf-8", "replace"), mime="text/plain")


def _step(step: Step, slots: list[tuple[list[str], Attachment]]) -> dict[str, Any]:
    hashes: list[str] = []
    slots.extend((hashes, attachment) for attachment in step.attachments)
    data: dict[str, Any] = {"action": step.title}
    if step.expected_result:
        data["expected_result"] = step.expected_result
    if step.input_data:
        data["input_data"] = step.input_data
    execution: dict[str, Any] = {"status": step.status, "attachments": hashes}
    if step.start_time is not None:
        execution["start_time"] = step.start_time
    if step.end_time is not None:
        execution["end_time"] = step.end_time
    if step.duration_ms is not None:
        execution["duration"] = step.duration_ms
    if step.comment:
        execution["comment"] = (
            step.comment if len(step.comment) <= MESSAGE_MAX else step.comment[:MESSAGE_MAX]
        )
    return {
        "data": data,
        "execution": execution,
        "steps": [_step(child, slots) for child in step.steps],
    }


def prepare(outcome: TestOutcome, run_id: int, case_numbers: list[int]) -> PreparedResult:
    """The v2 result for `outcome`: for `case_numbers`, or (none given) for the case the
    server finds or files by signature and title in the suite path."""
    message, stacktrace, extra = _texts(outcome)
    slots: list[tuple[list[str], Attachment]] = []
    hashes: list[str] = []
    slots.extend((hashes, attachment) for attachment in [*outcome.attachments, *extra])
    execution: dict[str, Any] = {"status": outcome.status}
    if outcome.start_time is not None:
        execution["start_time"] = outcome.start_time
    if outcome.end_time is not None and outcome.end_time >= (outcome.start_time or 0):
        execution["end_time"] = outcome.end_time
    if outcome.duration_ms is not None:
        execution["duration"] = outcome.duration_ms
    if stacktrace:
        execution["stacktrace"] = stacktrace
    if outcome.thread:
        execution["thread"] = outcome.thread[:255]
    payload: dict[str, Any] = {
        "id": idempotency_key(run_id, outcome),
        "title": outcome.title,
        "execution": execution,
        "attachments": hashes,
        "steps": [_step(step, slots) for step in outcome.steps],
    }
    if case_numbers:
        payload["testops_ids"] = case_numbers
    if outcome.signature:
        payload["signature"] = outcome.signature
    if message:
        payload["message"] = message
    if outcome.params:
        payload["params"] = outcome.params
    if outcome.suite_path:
        payload["relations"] = {
            "suite": {"data": [{"title": title[:TITLE_MAX]} for title in outcome.suite_path]}
        }
    return PreparedResult(
        payload=payload,
        slots=slots,
        label=f"{outcome.source}: {outcome.title}",
        size=len(orjson.dumps(payload)) + 40 * len(slots),
    )
