"""The `counts` block of a project: one grouped query per entity kind, for a whole page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from testament.models.cases import Case
from testament.models.defects import Defect
from testament.models.milestones import Milestone
from testament.models.runs import Run
from testament.models.suites import Suite
from testament.projects.schemas import DefectCounts, ProjectCounts, RunCounts

RUN_ACTIVE = "in_progress"
DEFECT_OPEN = "open"


def _grouped(
    session: Session, model: Any, project_ids: Sequence[int], *extra: Any, where: Any = None
) -> dict[int, Any]:
    statement = select(model.project_id, func.count(), *extra).where(
        model.project_id.in_(project_ids)
    )
    if where is not None:
        statement = statement.where(where)
    rows = session.execute(statement.group_by(model.project_id)).all()
    return {row[0]: row[1:] for row in rows}


def for_projects(session: Session, project_ids: Sequence[int]) -> dict[int, ProjectCounts]:
    if not project_ids:
        return {}
    cases = _grouped(session, Case, project_ids, where=Case.deleted_at.is_(None))
    suites = _grouped(session, Suite, project_ids)
    milestones = _grouped(session, Milestone, project_ids)
    runs = _grouped(
        session, Run, project_ids, func.sum(case((Run.status == RUN_ACTIVE, 1), else_=0))
    )
    defects = _grouped(
        session, Defect, project_ids, func.sum(case((Defect.status == DEFECT_OPEN, 1), else_=0))
    )
    result = {}
    for pid in project_ids:
        run_total, run_active = runs.get(pid, (0, 0))
        defect_total, defect_open = defects.get(pid, (0, 0))
        result[pid] = ProjectCounts(
            cases=cases.get(pid, (0,))[0],
            suites=suites.get(pid, (0,))[0],
            milestones=milestones.get(pid, (0,))[0],
            runs=RunCounts(total=run_total, active=int(run_active or 0)),
            defects=DefectCounts(total=defect_total, open=int(defect_open or 0)),
        )
    return result
