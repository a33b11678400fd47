"""The functions the cases resource calls, and the query count of a page, on the live database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select

from testament.kit.errors import Invalid
from testament.models.shared_steps import SharedStep
from testament.shared_steps import render, service
from tests.acting import Acting, project_id, under_the_api
from tests.factories import make_project
from tests.live import LiveServer
from tests.shared_steps.helpers import add_case, make_shared_step


@contextmanager
def count_queries(server: LiveServer) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            statements.append(args[2])

    engine = server.database().engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _ids(server: LiveServer, code: str) -> dict[str, int]:
    with under_the_api(server) as session:
        found = session.execute(
            select(SharedStep.hash, SharedStep.id).where(
                SharedStep.project_id == project_id(session, code)
            )
        ).all()
        return {shared_hash: shared_id for shared_hash, shared_id in found}


def test_ids_for_hashes(api: httpx.Client, acting: Acting, server: LiveServer) -> None:
    code, other = make_project(api), make_project(api)
    first, second = make_shared_step(api, code), make_shared_step(api, code)
    foreign = make_shared_step(api, other)
    ids = _ids(server, code)
    with acting(code) as (session, ctx):
        assert service.ids_for_hashes(session, ctx.project.id, [first, second]) == ids
        assert service.ids_for_hashes(session, ctx.project.id, []) == {}
        for bad in ([first, foreign], ["nope"]):
            with pytest.raises(Invalid) as raised:
                service.ids_for_hashes(session, ctx.project.id, bad, field="steps[2].shared")
            assert [f.field for f in raised.value.fields] == ["steps[2].shared"]


def test_items_for_ids_in_one_query(api: httpx.Client, acting: Acting, server: LiveServer) -> None:
    code = make_project(api)
    nested = [{"action": "A", "steps": [{"action": "A.1"}]}, {"action": "B"}]
    first = make_shared_step(api, code, steps=nested)
    second = make_shared_step(api, code, steps=[{"action": "Only", "expected_result": "E"}])
    ids = _ids(server, code)
    with acting(code) as (session, _), count_queries(server) as statements:
        found = service.items_for_ids(session, [ids[first], ids[second], 999_999_999])
    assert len(statements) == 1
    shared_hash, items = found[ids[first]]
    assert shared_hash == first
    top = [i for i in items if i.parent_id is None]
    assert [(i.action, i.position) for i in top] == [("A", 1), ("B", 2)]
    assert [i.action for i in items if i.parent_id == top[0].id] == ["A.1"]
    assert [(i.action, i.expected_result) for i in found[ids[second]][1]] == [("Only", "E")]
    assert 999_999_999 not in found


def test_a_page_takes_the_same_queries_for_one_or_many(
    api: httpx.Client, acting: Acting, server: LiveServer
) -> None:
    code = make_project(api)
    steps = [{"action": f"a{i}", "steps": [{"action": "n"}]} for i in range(5)]
    for i in range(8):
        make_shared_step(api, code, f"S{i}", steps=steps)
    case = add_case(acting, code, [{"shared": shared_hash} for shared_hash in _ids(server, code)])
    counts = []
    for limit in (1, 8):
        with acting(code) as (session, ctx):
            page = session.scalars(service.list_statement(ctx.project.id).limit(limit)).all()
            with count_queries(server) as statements:
                described = render.describe(session, page, "http://testserver")
            assert len(described) == limit and described[-1].cases == [case]
            counts.append(len(statements))
    assert counts[0] == counts[1]
