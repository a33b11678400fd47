"""Finding, or creating, the case an automated result belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases import service as cases
from testament.cases.schemas import CaseCreate
from testament.models.cases import Case
from testament.models.suites import Suite
from testament.suites import service as suites
from testament.suites.schemas import SuiteCreate


def suite_for_path(session: Session, ctx: ProjectContext, titles: Sequence[str]) -> int | None:
    """The suite at `titles` (root first), creating the suites that are missing."""
    parent_id: int | None = None
    for title in (t.strip()[:255] for t in titles if t and t.strip()):
        parent = Suite.parent_id.is_(None) if parent_id is None else Suite.parent_id == parent_id
        found = session.scalar(
            select(Suite.id)
            .where(Suite.project_id == ctx.project.id, Suite.title == title, parent)
            .order_by(Suite.number)
            .limit(1)
        )
        if found is None:
            parent_number = None
            if parent_id is not None:
                parent_number = suites.numbers_for_ids(session, [parent_id])[parent_id]
            found = suites.create_suite(
                session, ctx, SuiteCreate(title=title, parent_id=parent_number)
            ).id
        parent_id = found
    return parent_id


def case_for_title(
    session: Session, ctx: ProjectContext, fields: dict[str, Any], suite_path: Sequence[str]
) -> int:
    """The live case titled `fields["title"]` in the suite path, or a new one made of `fields`."""
    suite_id = suite_for_path(session, ctx, suite_path)
    existing = session.scalar(
        select(Case.id)
        .where(
            Case.project_id == ctx.project.id,
            Case.deleted_at.is_(None),
            Case.title == fields["title"],
            Case.suite_id.is_(None) if suite_id is None else Case.suite_id == suite_id,
        )
        .order_by(Case.number)
        .limit(1)
    )
    if existing is not None:
        return existing
    suite_number = suites.numbers_for_ids(session, [suite_id])[suite_id] if suite_id else None
    data = CaseCreate.model_validate({**fields, "suite_id": suite_number})
    return cases.create_case(session, ctx, data).id
