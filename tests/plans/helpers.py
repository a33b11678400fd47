"""Plan test data over HTTP (cases through the case endpoints, plans through ours), results and
assignees in-process, and the plan rows the API does not show."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from testament.models.cases import Case
from testament.models.identity import User
from testament.models.plans import Plan, PlanCase
from testament.results import service as results
from testament.results.schemas import ResultCreate
from testament.runs import service as runs
from testament.runs.schemas import RunCreate
from tests.acting import Acting, project_id, under_the_api
from tests.live import LiveServer


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def make_cases(api: httpx.Client, code: str, count: int) -> list[int]:
    """Create `count` cases in one bulk request; answers their ids."""
    body = {"cases": [{"title": f"Case {i}"} for i in range(1, count + 1)]}
    return [int(n) for n in ok(api.post(f"/v1/case/{code}/bulk", json=body))["ids"]]


def delete_case(api: httpx.Client, code: str, number: int) -> None:
    ok(api.delete(f"/v1/case/{code}/{number}"))


def make_plan(
    api: httpx.Client, code: str, cases: list[int], title: str = "Plan", **fields: Any
) -> int:
    """Create a plan and return its id."""
    body = {"title": title, "cases": cases, **fields}
    return int(ok(api.post(f"/v1/plan/{code}", json=body))["id"])


def get_plan(api: httpx.Client, code: str, plan_id: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/plan/{code}/{plan_id}"))
    return result


def list_plans(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/plan/{code}", params={"limit": 100, **params}))
    return result


def plan_cases(api: httpx.Client, code: str, plan_id: int) -> list[int]:
    return [c["case_id"] for c in get_plan(api, code, plan_id)["cases"]]


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


def add_results(acting: Acting, code: str, times: dict[int, list[int | None]]) -> None:
    """Passed results of cases (by number) with the given `time_ms`, in a run of their own, as
    the results service records them."""
    items = [
        ResultCreate(status="passed", case_id=number, time_ms=time_ms)
        for number, durations in times.items()
        for time_ms in durations
    ]
    with acting(code) as (session, ctx):
        run = runs.create_run(session, ctx, RunCreate(title="A run"))
        results.create_results(session, ctx, run.number, items, len(items))


def assign(acting: Acting, code: str, plan_number: int, case_number: int, email: str) -> int:
    """Make the user with `email` the assignee of a plan's case (no endpoint or service sets
    one yet); answers the user's id."""
    with acting(code) as (session, ctx):
        row = session.scalar(
            select(PlanCase)
            .join(Plan, Plan.id == PlanCase.plan_id)
            .join(Case, Case.id == PlanCase.case_id)
            .where(
                Plan.project_id == ctx.project.id,
                Plan.number == plan_number,
                Case.number == case_number,
            )
        )
        user_id = session.scalar(select(User.id).where(User.email == email))
        assert row is not None and user_id is not None
        row.assignee_id = user_id
        return user_id


def case_ids(server: LiveServer, code: str) -> dict[int, int]:
    """Case number -> global id, deleted cases included."""
    with under_the_api(server) as session:
        found = session.execute(
            select(Case.number, Case.id).where(Case.project_id == project_id(session, code))
        )
        return {row[0]: row[1] for row in found}


def plan_case_rows(server: LiveServer, code: str) -> int:
    """Every plan_cases row of the project, whatever the plan."""
    with under_the_api(server) as session:
        counted = select(func.count()).where(PlanCase.project_id == project_id(session, code))
        return int(session.scalar(counted) or 0)
