"""What every report format is read into: tests, their steps and the files they reference."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

# Result statuses the server stores (v2 `execution.status`).
RESULT_STATUSES = ("passed", "failed", "blocked", "skipped", "invalid")
# Step statuses the server stores (v2 `steps[].execution.status`).
STEP_STATUSES = ("passed", "failed", "blocked", "skipped", "in_progress")
# What a test that errored (JUnit <error>, Allure "broken") becomes unless --error-status says
# otherwise: Qase's reporters send such tests as "invalid".
DEFAULT_ERROR_STATUS = "invalid"


class ReportError(Exception):
    """A report that cannot be read; the message names the file and what is wrong."""


@dataclass
class Attachment:
    """A file a test or step references: on disk (`path`) or carried in the report (`content`)."""

    name: str
    path: Path | None = None
    content: bytes | None = None
    mime: str | None = None
    refused: str | None = None  # why the file may not be read (outside the allowed folders)

    def size(self) -> int | None:
        """Its size in bytes; None when the file is missing."""
        if self.content is not None:
            return len(self.content)
        try:
            return self.path.stat().st_size if self.path is not None else None
        except OSError:
            return None


@dataclass
class Step:
    title: str
    status: str  # one of STEP_STATUSES
    duration_ms: int | None = None
    start_time: float | None = None  # unix seconds
    end_time: float | None = None
    comment: str | None = None
    expected_result: str | None = None
    input_data: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


@dataclass
class TestOutcome:
    """One execution of one test, as a report tells it."""

    __test__ = False  # not a pytest test class, whatever its name

    source: str  # the report file it came from, as shown to the user
    identity: str  # what every execution of this test shares within its report
    title: str
    status: str  # one of RESULT_STATUSES
    suite_path: list[str] = field(default_factory=list)
    duration_ms: int | None = None
    start_time: float | None = None  # unix seconds
    end_time: float | None = None
    message: str | None = None
    stacktrace: str | None = None
    stdout: str | None = None
    stderr: str | None = None
    steps: list[Step] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    # Case references from the report's metadata (properties, labels, annotations), unparsed:
    # "12", "DEMO-12", "12, 13", a TMS link's name.
    case_refs: list[str] = field(default_factory=list)
    # Qase Report's `testops_project_mapping`: case ids per project code.
    project_refs: dict[str, list[int]] = field(default_factory=dict)
    signature: str | None = None
    thread: str | None = None
    # What tells this execution from another run of the same test (a timestamp, a report's own
    # result id): part of the idempotency key, so a re-run job's new results are not taken for
    # resends of the old ones.
    fingerprint: str = ""
    attempt: int = 0  # the how-manieth execution of `identity` in its report (retries)
    ordinal: int = 0  # where in its report it stands, when the format needs it to tell apart

    def all_attachments(self) -> list[Attachment]:
        found = list(self.attachments)
        pending = list(self.steps)
        while pending:
            step = pending.pop()
            found.extend(step.attachments)
            pending.extend(step.steps)
        return found


def duration_ms(seconds: str | float | None) -> int | None:
    """Seconds (a JUnit `time`, possibly "1,234.5") as whole milliseconds; None if unreadable."""
    if seconds is None or seconds == "":
        return None
    try:
        value = float(str(seconds).replace(",", ""))
    except ValueError:
        return None
    if value != value or value < 0:  # NaN or negative
        return None
    return min(round(value * 1000), 31_536_000_000)


class AttemptCounter:
    """Numbers the executions of each test identity within one report (0, 1, 2...).

    Keyed by a 64-bit digest, so a report of millions of tests costs a few dozen bytes each.
    """

    def __init__(self) -> None:
        self._seen: dict[int, int] = {}

    def next(self, identity: str) -> int:
        key = int.from_bytes(hashlib.blake2b(identity.encode(), digest_size=8).digest(), "big")
        attempt = self._seen.get(key, 0)
        self._seen[key] = attempt + 1
        return attempt
