"""Defect queries: lookups by number, the list statements, and the per-page batches behind the
response (the runs and results a defect was filed from)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from testament.defects.filters import DefectFilters
from testament.kit import repository as numbered
from testament.models.defects import Defect, DefectResult
from testament.models.results import Result
from testament.models.runs import Run


def by_number(session: Session, project_id: int, number: int) -> Defect | None:
    return numbered.by_number(session, Defect, project_id, number)


def list_statement(project_id: int) -> Select[Defect]:
    return select(Defect).where(Defect.project_id == project_id).order_by(Defect.number)


def filtered_statement(project_id: int, filters: DefectFilters) -> Select[Defect] | None:
    """The list narrowed by `filters`; None when none is given."""
    if filters.status is None:
        return None
    return list_statement(project_id).where(Defect.status == filters.status)


def sources_for(
    session: Session, defect_ids: Collection[int]
) -> dict[int, tuple[list[int], list[str]]]:
    """Per defect: the numbers of the runs (ascending, once each) and the hashes of the results
    (in the order they were linked) it was filed from. One query."""
    if not defect_ids:
        return {}
    rows = session.execute(
        select(DefectResult.defect_id, Run.number, Result.hash)
        .join(Run, Run.id == DefectResult.run_id)
        .join(Result, Result.id == DefectResult.result_id)
        .where(DefectResult.defect_id.in_(list(defect_ids)))
        .order_by(DefectResult.defect_id, Result.id)
    ).all()
    runs: dict[int, set[int]] = defaultdict(set)
    results: dict[int, list[str]] = defaultdict(list)
    for defect_id, run_number, result_hash in rows:
        runs[defect_id].add(run_number)
        results[defect_id].append(result_hash)
    return {defect_id: (sorted(runs[defect_id]), results[defect_id]) for defect_id in results}


def link_result(
    session: Session, project_id: int, defect_id: int, result_id: int, run_id: int
) -> None:
    session.add(
        DefectResult(project_id=project_id, defect_id=defect_id, result_id=result_id, run_id=run_id)
    )


def delete_links(session: Session, defect_id: int) -> None:
    """The defect's rows in defect_results. The foreign keys cascade as well; deleting them here
    keeps the delete correct on a database that does not enforce them."""
    session.execute(delete(DefectResult).where(DefectResult.defect_id == defect_id))
