"""Change events are recorded in one place, `testament.kit.audit`: its verbs store the actions the
audit log has always shown, and no other module writes an audit entry itself."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import httpx
from sqlalchemy import select

from testament.kit import audit
from testament.models.identity import AuditEntry
from tests.acting import Acting
from tests.factories import make_project

SOURCE = Path(audit.__file__).resolve().parents[1]
SEAM = Path(audit.__file__).resolve()


def test_the_verbs_store_the_actions(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api)
    entity_id = f"seam-{code}"
    with acting(code) as (session, ctx):
        audit.created(session, ctx.actor, "probe", entity_id, project_id=ctx.project.id)
        audit.updated(session, ctx.actor, "probe", entity_id, changes={"title": {"new": "x"}})
        audit.deleted(session, None, "probe", entity_id)
        audit.event(session, ctx.actor, "complete", "probe", entity_id)
    with acting(code) as (session, ctx):
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.via, AuditEntry.project_id, AuditEntry.changes)
            .where(AuditEntry.entity_type == "probe", AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        ).all()
        project_id = ctx.project.id
    assert [tuple(row) for row in rows] == [
        ("create", "token", project_id, {}),
        ("update", "token", None, {"title": {"new": "x"}}),
        ("delete", "cli", None, {}),
        ("complete", "token", None, {}),
    ]


def test_no_module_writes_audit_entries_around_the_seam() -> None:
    """Outside kit/audit.py, nothing builds an AuditEntry or calls the seam's private writer."""
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == SEAM or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            called = node.func if isinstance(node, ast.Call) else None
            name = (
                called.id
                if isinstance(called, ast.Name)
                else called.attr
                if isinstance(called, ast.Attribute)
                else None
            )
            if name in {"AuditEntry", "_record", "record"} and (
                name != "record" or _is_audit(called)
            ):
                offenders.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert offenders == []


def _is_audit(called: ast.expr | None) -> bool:
    return (
        isinstance(called, ast.Attribute)
        and isinstance(called.value, ast.Name)
        and called.value.id == "audit"
    )


def test_every_special_action_is_one_the_code_records() -> None:
    """`Action` lists exactly the actions some service passes to audit.event (no dead names)."""
    used: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and _is_audit(node.func):
                assert isinstance(node.func, ast.Attribute)
                if node.func.attr == "event":
                    used |= _literals(node.args[2])
    assert used == set(get_args(audit.Action))


def _literals(expression: ast.expr) -> set[str]:
    """The strings an action argument can be: a literal, or either side of `a if c else b`."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return {expression.value}
    if isinstance(expression, ast.IfExp):
        return _literals(expression.body) | _literals(expression.orelse)
    raise AssertionError(f"audit.event's action is not a literal: {ast.unparse(expression)}")
