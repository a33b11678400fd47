"""Step trees are written set-based: the statements a case's (or a shared step's) steps take do
not grow with the number of steps, and the tree reads back as it was sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testament.cases import service as cases
from testament.cases.schemas import CaseCreate, CaseUpdate
from testament.kit.errors import Invalid
from testament.models.cases import CaseStep
from testament.models.shared_steps import SharedStepItem
from testament.shared_steps import service as shared_steps
from testament.shared_steps.schemas import SharedStepCreate
from tests.acting import Acting
from tests.cases.helpers import get_case, upload
from tests.factories import make_project

# Set-based step inserts (and the statements they take) differ by dialect.
pytestmark = pytest.mark.both_backends


@contextmanager
def counting(session: Session) -> Iterator[list[str]]:
    """The SQL statements run on the session's connection inside the block (one per execute or
    executemany)."""
    statements: list[str] = []
    engine = session.get_bind()

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def tree(width: int, files: list[str] | None = None) -> list[dict[str, Any]]:
    """`width` steps, each with `width - 1` children, each of those with one child: width +
    2 * width * (width - 1) steps in three levels; the first steps of two levels carry `files`."""
    return [
        {
            "action": f"{a}",
            "expected_result": f"{a} done",
            "attachments": files or [],
            "steps": [
                {
                    "action": f"{a}.{b}",
                    "data": f"data {a}.{b}",
                    "attachments": files if b == 1 and files else [],
                    "steps": [{"action": f"{a}.{b}.1"}],
                }
                for b in range(1, width)
            ],
        }
        for a in range(1, width + 1)
    ]


def count_steps(steps: list[dict[str, Any]]) -> int:
    return sum(1 + count_steps(step.get("steps", [])) for step in steps)


def shape(steps: list[dict[str, Any]]) -> list[Any]:
    """What a tree says, without the hashes the server gives."""
    return [
        (
            step["position"],
            step["action"],
            step.get("expected_result"),
            step.get("data"),
            len(step["attachments"]),
            shape(step["steps"]),
        )
        for step in steps
    ]


def sent_shape(steps: list[dict[str, Any]]) -> list[Any]:
    return [
        (
            position,
            step["action"],
            step.get("expected_result"),
            step.get("data"),
            len(step.get("attachments", [])),
            sent_shape(step.get("steps", [])),
        )
        for position, step in enumerate(steps, start=1)
    ]


def create_counted(acting: Acting, code: str, steps: list[dict[str, Any]]) -> tuple[int, int]:
    """Create a case with `steps` in-process; answers its number and the statements it took."""
    with acting(code) as (session, ctx), counting(session) as statements:
        case = cases.create_case(
            session, ctx, CaseCreate.model_validate({"title": "Tree", "steps": steps})
        )
        return case.number, len(statements)


class TestCaseSteps:
    def test_statements_do_not_grow_with_the_steps(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        files = [upload(api, code, "a.txt", b"a"), upload(api, code, "b.txt", b"b")]
        small, large = tree(2, files), tree(6, files)
        assert (count_steps(small), count_steps(large)) == (6, 66)
        _, flat_statements = create_counted(acting, code, [{"action": "only"}])
        _, small_statements = create_counted(acting, code, small)
        number, large_statements = create_counted(acting, code, large)
        assert large_statements == small_statements
        # Three levels (one INSERT each), the attachment lookup and the links: four statements
        # more than a single step, whatever the number of steps.
        assert small_statements - flat_statements == 4
        assert shape(get_case(api, code, number)["steps"]) == sent_shape(large)

    def test_rows_keep_positions_and_parent_links(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        number, _ = create_counted(acting, code, tree(3))
        with acting(code) as (session, ctx):
            case_id = cases.get_case(session, ctx.project.id, number).id
            rows = session.scalars(select(CaseStep).where(CaseStep.case_id == case_id)).all()
        by_id = {row.id: row for row in rows}
        paths = {}
        for row in rows:
            path, current = [], row
            while current is not None:
                path.insert(0, current.position)
                current = by_id.get(current.parent_id) if current.parent_id else None
            paths[tuple(path)] = row.action
        expected = {(a,): f"{a}" for a in range(1, 4)}
        expected |= {(a, b): f"{a}.{b}" for a in range(1, 4) for b in range(1, 3)}
        expected |= {(a, b, 1): f"{a}.{b}.1" for a in range(1, 4) for b in range(1, 3)}
        assert paths == expected
        assert len({row.hash for row in rows}) == len(rows)
        assert all(len(row.hash) == 40 for row in rows)

    def test_update_replaces_the_tree(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        number, _ = create_counted(acting, code, tree(3))
        replacement = tree(2)
        with acting(code) as (session, ctx):
            cases.update_case(
                session, ctx, number, CaseUpdate.model_validate({"steps": replacement})
            )
        assert shape(get_case(api, code, number)["steps"]) == sent_shape(replacement)

    def test_the_first_step_at_fault_is_named(self, api: httpx.Client, acting: Acting) -> None:
        # Depth first, as a client reads the tree: steps[0]'s nested attachment comes before
        # steps[1]'s missing action.
        code = make_project(api)
        steps = [
            {"action": "A", "steps": [{"action": "A.1", "attachments": ["f" * 32]}]},
            {"expected_result": "no action"},
        ]
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            cases.create_case(
                session, ctx, CaseCreate.model_validate({"title": "Bad", "steps": steps})
            )
        assert [f.field for f in raised.value.fields] == ["steps[0].steps[0].attachments"]


class TestSharedStepItems:
    def test_statements_do_not_grow_with_the_steps(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        files = [upload(api, code, "a.txt", b"a")]
        counts = []
        for steps in (tree(2, files), tree(6, files)):
            with acting(code) as (session, ctx), counting(session) as statements:
                created = shared_steps.create(
                    session,
                    ctx,
                    SharedStepCreate.model_validate({"title": "Shared", "steps": steps}),
                )
                counts.append(len(statements))
                items = session.scalars(
                    select(SharedStepItem).where(SharedStepItem.shared_step_id == created.id)
                ).all()
                assert len(items) == count_steps(steps)
        assert counts[0] == counts[1]
