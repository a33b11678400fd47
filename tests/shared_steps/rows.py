"""Direct access to a live server's database, for rows no endpoint of ours writes.

Cases, their steps and parameters, and reviews belong to other resources: they are inserted and
read here, so these tests do not depend on those endpoints.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.kit.numbering import next_project_number
from testament.models.cases import Case, CaseParameter, CaseStep
from testament.models.identity import AuditEntry
from testament.models.project import Project
from testament.models.reviews import Review
from testament.models.shared_parameters import SharedParameter
from testament.models.shared_steps import SharedStep, SharedStepItem
from tests.live import LiveServer


@dataclass(frozen=True)
class StepRow:
    id: int
    parent_id: int | None
    position: int
    action: str
    shared: str | None  # the shared step's hash


class Rows:
    def __init__(self, server: LiveServer) -> None:
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    def session(self, *, write: bool = False) -> Session:
        return self.database.session(write=write)

    @staticmethod
    def project_id(session: Session, code: str) -> int:
        found = session.scalar(select(Project.id).where(Project.code == code.upper()))
        assert found is not None, code
        return found

    @staticmethod
    def _case(session: Session, project_id: int, number: int) -> Case:
        case = session.scalar(
            select(Case).where(Case.project_id == project_id, Case.number == number)
        )
        assert case is not None, number
        return case

    def add_case(self, code: str, *, deleted: bool = False) -> int:
        """Insert a case; answers its number."""
        with self.session(write=True) as session, session.begin():
            project_id = self.project_id(session, code)
            case = Case(
                project_id=project_id,
                number=next_project_number(session, project_id, "case"),
                title="A case",
                deleted_at=datetime.now(UTC) if deleted else None,
            )
            session.add(case)
            session.flush()
            return case.number

    def add_step(
        self,
        code: str,
        case: int,
        position: int,
        *,
        shared: str | None = None,
        action: str = "",
        parent_id: int | None = None,
    ) -> int:
        """Insert a case step (standing for the shared step `shared`); answers its row id."""
        with self.session(write=True) as session, session.begin():
            project_id = self.project_id(session, code)
            shared_id = None
            if shared is not None:
                shared_id = session.scalar(
                    select(SharedStep.id).where(
                        SharedStep.project_id == project_id, SharedStep.hash == shared
                    )
                )
                assert shared_id is not None, shared
            step = CaseStep(
                project_id=project_id,
                case_id=self._case(session, project_id, case).id,
                parent_id=parent_id,
                position=position,
                hash=secrets.token_hex(20),
                action=action,
                shared_step_id=shared_id,
            )
            session.add(step)
            session.flush()
            return step.id

    def steps(self, code: str, case: int) -> list[StepRow]:
        with self.session() as session:
            project_id = self.project_id(session, code)
            rows = session.execute(
                select(CaseStep, SharedStep.hash)
                .outerjoin(SharedStep, SharedStep.id == CaseStep.shared_step_id)
                .where(CaseStep.case_id == self._case(session, project_id, case).id)
                .order_by(CaseStep.parent_id.nulls_first(), CaseStep.position)
            ).all()
            return [StepRow(s.id, s.parent_id, s.position, s.action, h) for s, h in rows]

    def revision(self, code: str, case: int) -> int:
        with self.session() as session:
            return self._case(session, self.project_id(session, code), case).revision

    def add_case_parameter(
        self, code: str, case: int, position: int, *, shared: str | None = None
    ) -> int:
        """A reference to the shared parameter `shared` (a uuid), or an own single parameter."""
        with self.session(write=True) as session, session.begin():
            project_id = self.project_id(session, code)
            shared_id, kind, items = None, "single", [{"title": "own", "values": ["x"]}]
            if shared is not None:
                row = session.execute(
                    select(SharedParameter.id, SharedParameter.type).where(
                        SharedParameter.uuid == UUID(shared)
                    )
                ).one()
                shared_id, kind, items = row.id, row.type, None
            parameter = CaseParameter(
                project_id=project_id,
                case_id=self._case(session, project_id, case).id,
                position=position,
                type=kind,
                shared_parameter_id=shared_id,
                items=items,
            )
            session.add(parameter)
            session.flush()
            return parameter.id

    def case_parameters(self, code: str, case: int) -> list[str | None]:
        """The case's parameters in order: the shared uuid, or None for an own one."""
        with self.session() as session:
            project_id = self.project_id(session, code)
            rows = session.execute(
                select(SharedParameter.uuid)
                .select_from(CaseParameter)
                .outerjoin(SharedParameter, SharedParameter.id == CaseParameter.shared_parameter_id)
                .where(CaseParameter.case_id == self._case(session, project_id, case).id)
                .order_by(CaseParameter.position)
            ).scalars()
            return [str(u) if u is not None else None for u in rows]

    def add_review(self, code: str, proposed_case: dict[str, Any], status: str = "open") -> int:
        with self.session(write=True) as session, session.begin():
            project_id = self.project_id(session, code)
            review = Review(
                project_id=project_id,
                number=next_project_number(session, project_id, "review"),
                title="Proposal",
                type="create",
                status=status,
                proposed_case=proposed_case,
            )
            session.add(review)
            session.flush()
            return review.id

    def review(self, review_id: int) -> dict[str, Any]:
        with self.session() as session:
            review = session.get(Review, review_id)
            assert review is not None
            return dict(review.proposed_case)

    def item_count(self, shared_hash: str) -> int:
        with self.session() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(SharedStepItem)
                    .join(SharedStep, SharedStep.id == SharedStepItem.shared_step_id)
                    .where(SharedStep.hash == shared_hash)
                )
                or 0
            )

    def audit_actions(self, entity_type: str, entity_id: str) -> list[str]:
        with self.session() as session:
            return list(
                session.scalars(
                    select(AuditEntry.action)
                    .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
                    .order_by(AuditEntry.id)
                ).all()
            )


@pytest.fixture
def rows(server: LiveServer) -> Iterator[Rows]:
    opened = Rows(server)
    yield opened
    opened.close()
