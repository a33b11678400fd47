"""Carry out a plan: suites first, then the new cases in bulk, then the updates.

Creating is not idempotent on the server (a bulk request sent twice makes the cases twice), so the
POSTs are sent once each: when one fails in a way worth retrying (no answer, 408, 429, 5xx), the
importer waits, reads the project again and plans anew, which finds whatever the lost request did
write and sends only the rest. A bulk answered 413 is split in halves and resent. PATCHes are
idempotent and use the client's own retries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from testament.client.cases_io.plan import Path, Plan, PlannedCreate, PlannedUpdate, SuiteTree
from testament.client.http import RETRY_STATUSES, ApiClient, ApiError, RetryPolicy

DEFAULT_BATCH_SIZE = 500  # the server's TESTAMENT_BULK_MAX_ITEMS default; 413 splits smaller


class WriteStopped(Exception):
    """A write the server refused for good; what was written before stays written."""


class RetryLater(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(str(error))
        self.error = error


class IdsTaken(Exception):
    """The server keeps these ids for cases deleted since (they cannot be reused)."""

    def __init__(self, ids: frozenset[int]) -> None:
        super().__init__(f"ids in use: {sorted(ids)}")
        self.ids = ids


@dataclass
class Progress:
    """Writes the server acknowledged (a lost answer may hide more)."""

    suites: list[Path] = field(default_factory=list)
    created: dict[int, int] = field(default_factory=dict)  # row -> case id
    updated: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _retryable(error: ApiError) -> bool:
    return error.status is None or error.status in RETRY_STATUSES


class Writer:
    def __init__(
        self,
        client: ApiClient,
        once: ApiClient,
        code: str,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.client = client  # retries by itself: for idempotent requests
        self.once = once  # sends once: for creations
        self.code = code
        self.batch_size = batch_size

    def apply(self, plan: Plan, tree: SuiteTree, progress: Progress) -> None:
        for path in plan.suites:
            self._create_suite(path, tree, progress)
        for start in range(0, len(plan.creates), self.batch_size):
            self._create_cases(plan.creates[start : start + self.batch_size], tree, progress)
        for update in plan.updates:
            self._update(update, tree, progress)

    def _create_suite(self, path: Path, tree: SuiteTree, progress: Progress) -> None:
        parent = tree.ids[path[:-1]] if len(path) > 1 else None
        try:
            answer = self.once.request(
                "POST", f"/v1/suite/{self.code}", json={"title": path[-1], "parent_id": parent}
            )
        except ApiError as exc:
            if _retryable(exc):
                raise RetryLater(exc) from None
            raise WriteStopped(f"creating suite {' / '.join(path)!r}: {exc}") from None
        suite_id = int(answer["result"]["id"])
        tree.add(path, suite_id, parent)
        progress.suites.append(path)

    def _create_cases(
        self, chunk: list[PlannedCreate], tree: SuiteTree, progress: Progress
    ) -> None:
        bodies = [self._bulk_body(create, tree) for create in chunk]
        try:
            answer = self.once.request("POST", f"/v1/case/{self.code}/bulk", json={"cases": bodies})
        except ApiError as exc:
            if exc.status == 413 and len(chunk) > 1:
                self.batch_size = max(1, len(chunk) // 2)
                half = len(chunk) // 2
                self._create_cases(chunk[:half], tree, progress)
                self._create_cases(chunk[half:], tree, progress)
                return
            if _retryable(exc):
                raise RetryLater(exc) from None
            raise self._refused(exc, chunk) from None
        for create, case_id in zip(chunk, answer["result"]["ids"], strict=True):
            progress.created[create.row.row] = int(case_id)

    @staticmethod
    def _bulk_body(create: PlannedCreate, tree: SuiteTree) -> dict[str, Any]:
        body = dict(create.body)
        if create.suite:
            body["suite_id"] = tree.ids[create.suite]
        if create.id is not None:
            body["id"] = create.id
        return body

    def _refused(self, exc: ApiError, chunk: list[PlannedCreate]) -> Exception:
        """A 4xx for a bulk: ids kept by deleted cases, or a row the server would not take."""
        explicit = {create.id for create in chunk if create.id is not None}
        said = " ".join([exc.message, *(str(f.get("error", "")) for f in exc.fields)])
        if exc.status == 422 and "in use" in said:
            taken = frozenset(int(n) for n in re.findall(r"\d+", said.split("in use", 1)[1]))
            if taken & explicit:
                return IdsTaken(frozenset(taken & explicit))
        rows = []
        for item in exc.fields:
            found = re.match(r"cases\[(\d+)\]\.?(.*)", str(item.get("field", "")))
            if found and int(found.group(1)) < len(chunk):
                where = f" ({found.group(2)})" if found.group(2) else ""
                rows.append(f"row {chunk[int(found.group(1))].row.row}{where}: {item.get('error')}")
        if rows:
            return WriteStopped("the server refused " + "; ".join(rows))
        first, last = chunk[0].row.row, chunk[-1].row.row
        return WriteStopped(f"creating the cases of rows {first}-{last}: {exc}")

    def _update(self, update: PlannedUpdate, tree: SuiteTree, progress: Progress) -> None:
        body = dict(update.body)
        if update.suite is not None:
            body["suite_id"] = tree.ids[update.suite] if update.suite else None
        try:
            self.client.request("PATCH", f"/v1/case/{self.code}/{update.case_id}", json=body)
        except ApiError as exc:
            raise WriteStopped(
                f"updating case {update.case_id} (row {update.row.row}): {exc}"
            ) from None
        progress.updated[update.row.row] = update.case_id


def write_with_retries(
    progress: Progress,
    first: Plan,
    tree: SuiteTree,
    writer: Writer,
    replan: Callable[[frozenset[int]], tuple[Plan, SuiteTree]],
    policy: RetryPolicy,
    notify: Callable[[str], None],
) -> Plan:
    """Apply `first`; after a retryable failure wait, plan again from the project and go on.

    `progress` collects the acknowledged writes (also when this raises `WriteStopped`). Answers
    the last plan applied: its `unchanged` rows carry the ids of cases a lost answer created."""
    plan = first
    blocked: frozenset[int] = frozenset()
    attempt = 0
    while True:
        try:
            writer.apply(plan, tree, progress)
            return plan
        except RetryLater as exc:
            attempt += 1
            if attempt >= policy.attempts:
                raise WriteStopped(f"gave up after {attempt} attempts: {exc.error}") from None
            wait = exc.error.retry_after
            if wait is None:
                wait = policy.delay(attempt - 1, None)
            notify(f"retrying in {wait:.1f}s ({exc.error}); reading the project again first")
            policy.sleep(wait)
        except IdsTaken as exc:
            if exc.ids <= blocked:
                raise WriteStopped(f"the server keeps refusing ids {sorted(exc.ids)}") from None
            blocked |= exc.ids
            progress.notes.append(
                f"ids {', '.join(str(i) for i in sorted(exc.ids))} belonged to deleted cases; "
                "those rows got new ids"
            )
        plan, tree = replan(blocked)
        if plan.errors:
            listed = "; ".join(str(e) for e in plan.errors[:5])
            raise WriteStopped(f"the project changed during the import: {listed}")
