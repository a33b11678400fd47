"""The plan service functions other resources call (runs start from a plan), against the
database of a live server; and the list's query count, which must not grow with the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select

from testament.kit.errors import Invalid
from testament.models.plans import Plan
from testament.plans import service
from tests.acting import Acting, project_id, under_the_api
from tests.factories import make_project
from tests.live import LiveServer
from tests.plans.helpers import assign, case_ids, delete_case, make_cases, make_plan


def plan_ids(server: LiveServer, code: str) -> dict[int, int]:
    """Plan number -> global id."""
    with under_the_api(server) as session:
        found = session.execute(
            select(Plan.number, Plan.id).where(Plan.project_id == project_id(session, code))
        )
        return {row[0]: row[1] for row in found}


class TestCaseIdsForPlan:
    def test_live_cases_in_plan_order_with_their_assignees(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 4)
        plan = make_plan(api, code, [3, 1, 4, 2])
        delete_case(api, code, 4)
        user = assign(acting, code, plan, 1, "member@example.com")
        ids = case_ids(server, code)
        with acting(code) as (session, ctx):
            got = service.case_ids_for_plan(session, ctx.project.id, plan)
        assert got == [(ids[3], None), (ids[1], user), (ids[2], None)]

    @pytest.mark.parametrize("field", ["plan_id", "runs[0].plan_id"])
    def test_unknown_plan_is_invalid_naming_the_field(
        self, api: httpx.Client, acting: Acting, field: str
    ) -> None:
        code, other = make_project(api), make_project(api)
        make_cases(api, other, 1)
        make_plan(api, other, [1])
        with acting(code) as (session, ctx), pytest.raises(Invalid) as raised:
            service.case_ids_for_plan(session, ctx.project.id, 1, field)
        assert [f.field for f in raised.value.fields] == [field]
        assert raised.value.status_code == 422


class TestPlanIdForNumber:
    def test_resolves_numbers_and_none(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        make_cases(api, code, 1)
        first, second = make_plan(api, code, [1]), make_plan(api, code, [1])
        ids = plan_ids(server, code)
        with acting(code) as (session, ctx):
            assert service.plan_id_for_number(session, ctx.project.id, second) == ids[second]
            assert service.plan_id_for_number(session, ctx.project.id, None) is None
            assert service.numbers_for_ids(session, [ids[first], ids[second]]) == {
                ids[first]: first,
                ids[second]: second,
            }
            assert service.numbers_for_ids(session, []) == {}

    @pytest.mark.parametrize("number", [1, 0, 2**31])
    def test_unknown_number_is_invalid_naming_the_field(
        self, api: httpx.Client, acting: Acting, number: int
    ) -> None:
        code = make_project(api)
        with acting(code) as (session, ctx), pytest.raises(Invalid) as raised:
            service.plan_id_for_number(session, ctx.project.id, number, "plan")
        assert [f.field for f in raised.value.fields] == ["plan"]


@pytest.fixture
def statements(server: LiveServer) -> Iterator[list[str]]:
    """The SQL statements this process runs on the server's database while the test is inside."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(server.database().engine, "before_cursor_execute", record)
    yield seen
    event.remove(server.database().engine, "before_cursor_execute", record)


def test_a_page_is_described_in_one_query_whatever_its_size(
    api: httpx.Client, acting: Acting, statements: list[str]
) -> None:
    code = make_project(api)
    make_cases(api, code, 3)
    for count in (1, 2, 3, 3, 2):
        make_plan(api, code, list(range(1, count + 1)))
    with acting(code) as (session, ctx):
        plans = session.scalars(
            select(Plan)
            .where(Plan.project_id == ctx.project.id)
            .order_by(Plan.id)  # PostgreSQL promises no order without it
        )
        page = list(plans)
        statements.clear()
        one = service.describe(session, page[:1])
        queries_for_one = len(statements)
        statements.clear()
        described = service.describe(session, page)
        assert len(statements) == queries_for_one == 1
    assert [p.cases_count for p in one] == [1]
    assert [p.cases_count for p in described] == [1, 2, 3, 3, 2]
