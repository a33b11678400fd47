"""Suite test data over HTTP, and cases made and read in-process.

Suites and milestones are driven over HTTP; cases, which belong to another resource, are made by
the case service in an `acting` unit of work and read under the API, so these tests do not
depend on the case endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from testament.cases import service as cases
from testament.cases.schemas import CaseCreate
from testament.models.cases import Case
from testament.models.milestones import Milestone
from testament.models.suites import Suite
from tests.acting import Acting, project_id, under_the_api
from tests.live import LiveServer


def make_suite(api: httpx.Client, code: str, title: str = "Suite", **fields: object) -> int:
    """Create a suite and return its id."""
    response = api.post(f"/v1/suite/{code}", json={"title": title, **fields})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def get_suite(api: httpx.Client, code: str, suite_id: int) -> dict[str, Any]:
    response = api.get(f"/v1/suite/{code}/{suite_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_suites(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    response = api.get(f"/v1/suite/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def project_counts(api: httpx.Client, code: str) -> dict[str, Any]:
    counts: dict[str, Any] = api.get(f"/v1/project/{code}").json()["result"]["counts"]
    return counts


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


@dataclass(frozen=True)
class CaseRow:
    number: int
    suite: int | None  # the suite's number
    milestone: int | None  # the milestone's number
    position: int
    deleted_at: datetime | None


def add_case(
    acting: Acting,
    code: str,
    *,
    suite: int | None = None,
    milestone: int | None = None,
    position: int | None = None,
    deleted: bool = False,
) -> int:
    """A case in suite/milestone (their numbers), made by the case service; then put at
    `position` (no endpoint sets one) and deleted, if asked. Answers the case's number."""
    placed = {"suite_id": suite, "milestone_id": milestone}
    data = CaseCreate.model_validate(
        {"title": "A case", **{k: v for k, v in placed.items() if v is not None}}
    )
    with acting(code) as (session, ctx):
        case = cases.create_case(session, ctx, data)
        if position is not None:
            case.position = position
        if deleted:
            cases.delete_case(session, ctx, case.number)
        return case.number


def stored_cases(server: LiveServer, code: str) -> dict[int, CaseRow]:
    """Every case of the project, deleted ones included, by number."""
    with under_the_api(server) as session:
        project = project_id(session, code)
        suite_numbers: dict[int, int] = dict(
            session.execute(select(Suite.id, Suite.number).where(Suite.project_id == project)).all()
        )
        milestone_numbers: dict[int, int] = dict(
            session.execute(
                select(Milestone.id, Milestone.number).where(Milestone.project_id == project)
            ).all()
        )
        rows = session.scalars(select(Case).where(Case.project_id == project)).all()
        return {
            c.number: CaseRow(
                number=c.number,
                suite=suite_numbers[c.suite_id] if c.suite_id is not None else None,
                milestone=(
                    milestone_numbers[c.milestone_id] if c.milestone_id is not None else None
                ),
                position=c.position,
                deleted_at=c.deleted_at,
            )
            for c in rows
        }
