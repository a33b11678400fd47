"""Direct access to a live server's database, for rows no endpoint of ours writes (results) and
for calling the plan service the way the runs resource does."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.kit.numbering import next_project_number
from testament.models.cases import Case
from testament.models.identity import User
from testament.models.plans import Plan, PlanCase
from testament.models.project import Project
from testament.models.results import Result
from testament.models.runs import Run
from tests.live import LiveServer


class Rows:
    def __init__(self, server: LiveServer) -> None:
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    def session(self) -> Session:
        return self.database.session(write=False)

    def project_id(self, session: Session, code: str) -> int:
        project_id = session.scalar(select(Project.id).where(Project.code == code.upper()))
        assert project_id is not None, code
        return project_id

    def case_ids(self, code: str) -> dict[int, int]:
        """Case number -> global id, deleted cases included."""
        with self.session() as session:
            project_id = self.project_id(session, code)
            rows = session.execute(
                select(Case.number, Case.id).where(Case.project_id == project_id)
            )
            return {row[0]: row[1] for row in rows}

    def add_results(self, code: str, times: dict[int, list[int | None]]) -> None:
        """Record results of cases (by number) with the given `time_ms`, in a run of their own."""
        with self.database.session() as session, session.begin():
            project_id = self.project_id(session, code)
            run = Run(
                project_id=project_id,
                number=next_project_number(session, project_id, "run"),
                title="A run",
            )
            session.add(run)
            session.flush()
            found = session.execute(
                select(Case.number, Case.id).where(
                    Case.project_id == project_id, Case.number.in_(times)
                )
            )
            case_ids = {row[0]: row[1] for row in found}
            for number, durations in times.items():
                for time_ms in durations:
                    session.add(
                        Result(
                            project_id=project_id,
                            hash=secrets.token_hex(20),
                            run_id=run.id,
                            case_id=case_ids[number],
                            status="passed",
                            time_ms=time_ms,
                        )
                    )

    def assign(self, code: str, plan_number: int, case_number: int, email: str) -> int:
        """Make the user with `email` the assignee of a plan's case (no v1 endpoint sets one);
        answers the user's id."""
        with self.database.session() as session, session.begin():
            project_id = self.project_id(session, code)
            row = session.scalar(
                select(PlanCase)
                .join(Plan, Plan.id == PlanCase.plan_id)
                .join(Case, Case.id == PlanCase.case_id)
                .where(
                    Plan.project_id == project_id,
                    Plan.number == plan_number,
                    Case.number == case_number,
                )
            )
            user_id = session.scalar(select(User.id).where(User.email == email))
            assert row is not None and user_id is not None
            row.assignee_id = user_id
            return user_id

    def plan_case_rows(self, code: str) -> int:
        """Every plan_cases row of the project, whatever the plan."""
        with self.session() as session:
            project_id = self.project_id(session, code)
            counted = select(func.count()).where(PlanCase.project_id == project_id)
            return int(session.scalar(counted) or 0)


@pytest.fixture
def rows(server: LiveServer) -> Iterator[Rows]:
    opened = Rows(server)
    yield opened
    opened.close()
