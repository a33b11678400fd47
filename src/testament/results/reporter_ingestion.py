"""v2 results (what the official reporters send): matched to cases, or cases made for them.

A result names its cases by `testops_id(s)`; otherwise its `signature` finds the case an earlier
run of the same test used; otherwise a case is created from its title and `fields` in the suite
path of `relations`, and the signature remembers it for the next run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit.concurrency import lock_project_for
from testament.kit.errors import Invalid, PayloadTooLarge
from testament.models.cases import Case, CaseSignature
from testament.models.identity import Author
from testament.results import ingest, matching
from testament.results.ingest import ResultInput, StepOutcome
from testament.results.schemas_v2 import (
    ERROR_CONTEXT_KEPT,
    ERROR_CONTEXT_PER_BATCH,
    ResultCreateV2,
    StepV2,
)
from testament.system_fields.catalog import resolve_option

CASE_TEXT_FIELDS = ("description", "preconditions", "postconditions")
CASE_OPTION_FIELDS = ("severity", "priority", "layer", "behavior", "type", "is_flaky")


def _when(epoch: float | int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def _steps(steps: Sequence[StepV2], where: str) -> list[StepOutcome]:
    return [
        StepOutcome(
            status=ingest.step_status(step.execution.status, f"{where}[{i}].execution.status"),
            action=step.data.action if step.data else None,
            expected_result=step.data.expected_result if step.data else None,
            data=step.data.input_data if step.data else None,
            comment=step.execution.comment,
            attachments=[
                *(step.execution.attachments or []),
                *((step.data.attachments or []) if step.data else []),
            ],
            start_time=_when(step.execution.start_time),
            end_time=_when(step.execution.end_time),
            duration_ms=step.execution.duration,
            steps=_steps(step.steps, f"{where}[{i}].steps"),
        )
        for i, step in enumerate(steps)
    ]


def _signature_key(item: ResultCreateV2) -> str:
    return hashlib.sha256((item.signature or item.title).encode("utf-8")).hexdigest()


def _case_fields(item: ResultCreateV2) -> dict[str, Any]:
    """What a new case takes from the result: title, texts, known option values and tags."""
    given = item.fields or {}
    fields: dict[str, Any] = {"title": item.title[:255]}
    for name in CASE_TEXT_FIELDS:
        if given.get(name):
            fields[name] = given[name]
    for name in CASE_OPTION_FIELDS:
        if given.get(name):
            try:
                fields[name] = resolve_option(name, given[name])
            except Invalid:
                continue  # a label this server does not know must not lose the result
    tags = [t.strip()[:255] for t in given.get("tags", "").split(",") if t.strip()]
    if tags:
        fields["tags"] = tags
    return fields


def _suite_path(item: ResultCreateV2) -> list[str]:
    if item.relations and item.relations.suite:
        return [entry.title for entry in item.relations.suite.data]
    return []


class _Matcher:
    """Resolves every result of a batch to case ids with a fixed number of lookups."""

    def __init__(
        self, session: Session, ctx: ProjectContext, items: Sequence[ResultCreateV2]
    ) -> None:
        self.session, self.ctx = session, ctx
        project_id = ctx.project.id
        numbers = {n for item in items for n in self._numbers(item)}
        self.by_number: dict[int, int] = (
            dict(
                session.execute(
                    select(Case.number, Case.id).where(
                        Case.project_id == project_id,
                        Case.deleted_at.is_(None),
                        Case.number.in_(numbers),
                    )
                ).all()
            )
            if numbers
            else {}
        )
        keys = {_signature_key(item) for item in items if not self._numbers(item)}
        self.by_signature: dict[str, int] = (
            dict(
                session.execute(
                    select(CaseSignature.signature_sha256, CaseSignature.case_id)
                    .join(Case, Case.id == CaseSignature.case_id)
                    .where(
                        CaseSignature.project_id == project_id,
                        CaseSignature.signature_sha256.in_(keys),
                        Case.deleted_at.is_(None),
                    )
                ).all()
            )
            if keys
            else {}
        )

    @staticmethod
    def _numbers(item: ResultCreateV2) -> list[int]:
        return [item.testops_id] if item.testops_id is not None else list(item.testops_ids or [])

    def cases(self, item: ResultCreateV2, where: str) -> list[tuple[int, int | None]]:
        """(case id, number or None when the case came by signature) for one result."""
        numbers = self._numbers(item)
        if numbers:
            missing = [n for n in numbers if n not in self.by_number]
            if missing:
                raise Invalid.field(
                    f"{where}testops_ids", f"Test cases not found in this project: {missing}"
                )
            return [(self.by_number[n], n) for n in dict.fromkeys(numbers)]
        key = _signature_key(item)
        if key not in self.by_signature:
            self.by_signature[key] = self._find_or_create(item, key)
        return [(self.by_signature[key], None)]

    def _find_or_create(self, item: ResultCreateV2, key: str) -> int:
        """Under a per-project lock, so two reporters sending the same new test at once make
        one case, not two: the second finds the first's signature once the lock is free."""
        project_id = self.ctx.project.id
        lock_project_for(self.session, project_id, "autotest-cases")
        known = self.session.scalar(
            select(CaseSignature.case_id)
            .join(Case, Case.id == CaseSignature.case_id)
            .where(
                CaseSignature.project_id == project_id,
                CaseSignature.signature_sha256 == key,
                Case.deleted_at.is_(None),
            )
        )
        if known is not None:
            return known
        case_id = matching.case_for_title(
            self.session, self.ctx, _case_fields(item), _suite_path(item)
        )
        # A signature left behind by a deleted case is pointed at the new one.
        self.session.execute(
            delete(CaseSignature).where(
                CaseSignature.project_id == project_id, CaseSignature.signature_sha256 == key
            )
        )
        self.session.execute(
            insert(CaseSignature).values(
                project_id=project_id, signature_sha256=key, case_id=case_id
            )
        )
        return case_id


def _executed_by(session: Session, who: str | None, cache: dict[str, int | None]) -> int | None:
    if not who:
        return None
    if who not in cache:
        condition = or_(func.lower(Author.email) == who.lower(), Author.name == who)
        if who.isdigit() and int(who) <= 2**63 - 1:
            condition = or_(condition, Author.id == int(who))
        cache[who] = session.scalar(select(Author.id).where(condition).order_by(Author.id).limit(1))
    return cache[who]


def to_inputs(
    session: Session, ctx: ProjectContext, items: Sequence[ResultCreateV2], max_items: int
) -> list[ResultInput]:
    if len(items) > max_items:
        raise PayloadTooLarge(
            f"A request may carry at most {max_items} results; this one has {len(items)}."
        )
    context_size = sum(len(item.execution.error_context or "") for item in items)
    if context_size > ERROR_CONTEXT_PER_BATCH:
        raise PayloadTooLarge(
            f"execution.error_context adds up to {context_size} characters; a batch may carry "
            f"{ERROR_CONTEXT_PER_BATCH}."
        )
    for index, item in enumerate(items):
        if item.testops_id is not None and item.testops_ids:
            raise Invalid.field(
                f"results[{index}].testops_ids", "give testops_id or testops_ids, not both"
            )
        ingest.check_status(item.execution.status, f"results[{index}].execution.status")
    matcher = _Matcher(session, ctx, items)
    authors: dict[str, int | None] = {}
    inputs: list[ResultInput] = []
    for index, item in enumerate(items):
        where = f"results[{index}]."
        execution = item.execution
        start, end = _when(execution.start_time), _when(execution.end_time)
        duration = execution.duration
        if duration is None and execution.start_time is not None and execution.end_time is not None:
            duration = max(0, int((execution.end_time - execution.start_time) * 1000))
        steps = _steps(item.steps or [], f"{where}steps")
        cases = matcher.cases(item, where)
        for case_id, number in cases:
            key = item.id
            if key and len(cases) > 1:
                key = f"{key}:{number}"
            inputs.append(
                ResultInput(
                    where=where.rstrip("."),
                    case_id=case_id,
                    status=execution.status,
                    time_ms=duration,
                    start_time=start,
                    end_time=end,
                    comment=item.message,
                    stacktrace=execution.stacktrace,
                    attachments=list(item.attachments or []),
                    steps=steps,
                    steps_type=item.steps_type or "classic",
                    params=dict(item.params) if item.params else None,
                    param_groups=item.param_groups,
                    defect=bool(item.defect),
                    author_id=_executed_by(
                        session, (item.fields or {}).get("executed_by"), authors
                    ),
                    idempotency_key=key,
                    title=item.title,
                    signature=item.signature,
                    thread=execution.thread,
                    relations=item.relations.model_dump() if item.relations else None,
                    fields=dict(item.fields) if item.fields else None,
                    error_context=(execution.error_context or "")[:ERROR_CONTEXT_KEPT] or None,
                )
            )
    return inputs
