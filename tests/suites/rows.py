"""Direct access to a live server's database, for rows no endpoint of ours writes (cases).

Suites and milestones are driven over HTTP; only cases, which belong to another resource, are
inserted and read here, so these tests do not depend on the case endpoints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.kit.numbering import next_project_number
from testament.models.cases import Case
from testament.models.milestones import Milestone
from testament.models.project import Project
from testament.models.suites import Suite
from tests.live import LiveServer


@dataclass(frozen=True)
class CaseRow:
    number: int
    suite: int | None  # the suite's number
    milestone: int | None  # the milestone's number
    position: int
    deleted_at: datetime | None


class Rows:
    def __init__(self, server: LiveServer) -> None:
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    def _project_id(self, session: Session, code: str) -> int:
        project_id = session.scalar(select(Project.id).where(Project.code == code.upper()))
        assert project_id is not None, code
        return project_id

    def add_case(
        self,
        code: str,
        *,
        suite: int | None = None,
        milestone: int | None = None,
        position: int = 0,
        deleted: bool = False,
    ) -> int:
        """Insert a case into suite/milestone (their numbers); answers the case's number."""
        with self.database.session() as session, session.begin():
            project_id = self._project_id(session, code)
            case = Case(
                project_id=project_id,
                number=next_project_number(session, project_id, "case"),
                title="A case",
                position=position,
                suite_id=self._id(session, Suite, project_id, suite),
                milestone_id=self._id(session, Milestone, project_id, milestone),
                deleted_at=datetime.now(UTC) if deleted else None,
            )
            session.add(case)
            session.flush()
            return case.number

    def cases(self, code: str) -> dict[int, CaseRow]:
        """Every case of the project, deleted ones included, by number."""
        with self.database.session(write=False) as session:
            project_id = self._project_id(session, code)
            suite_numbers: dict[int, int] = dict(
                session.execute(
                    select(Suite.id, Suite.number).where(Suite.project_id == project_id)
                ).all()
            )
            milestone_numbers: dict[int, int] = dict(
                session.execute(
                    select(Milestone.id, Milestone.number).where(Milestone.project_id == project_id)
                ).all()
            )
            rows = session.scalars(select(Case).where(Case.project_id == project_id)).all()
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

    def suite_count(self, code: str) -> int:
        with self.database.session(write=False) as session:
            project_id = self._project_id(session, code)
            return int(
                session.scalar(select(func.count()).where(Suite.project_id == project_id)) or 0
            )

    @staticmethod
    def _id(
        session: Session, model: type[Suite] | type[Milestone], project_id: int, number: int | None
    ) -> int | None:
        if number is None:
            return None
        found = session.scalar(
            select(model.id).where(model.project_id == project_id, model.number == number)
        )
        assert found is not None, (model.__name__, number)
        return found


@pytest.fixture
def rows(server: LiveServer) -> Iterator[Rows]:
    opened = Rows(server)
    yield opened
    opened.close()
