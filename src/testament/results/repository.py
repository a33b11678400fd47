"""Result queries: the project's results, narrowed by typed `ResultFilters`."""

from __future__ import annotations

from sqlalchemy import Select, select

from testament.kit.repository import points_to_numbers
from testament.models.cases import Case
from testament.models.results import Result
from testament.models.runs import Run
from testament.results.filters import ResultFilters


def project_results(project_id: int) -> Select[Result]:
    return select(Result).where(Result.project_id == project_id).order_by(Result.id.desc())


def filtered_results(project_id: int, filters: ResultFilters) -> Select[Result]:
    statement = project_results(project_id)
    if filters.status is not None:
        statement = statement.where(Result.status == filters.status)
    if filters.runs is not None:
        statement = statement.where(points_to_numbers(Result.run_id, Run, project_id, filters.runs))
    if filters.cases is not None:
        statement = statement.where(
            points_to_numbers(Result.case_id, Case, project_id, filters.cases)
        )
    if filters.authors is not None:
        statement = statement.where(Result.author_id.in_(filters.authors))
    if filters.api is not None:
        statement = statement.where(Result.is_api_result.is_(filters.api))
    if filters.ended_from is not None:
        statement = statement.where(Result.end_time >= filters.ended_from)
    if filters.ended_to is not None:
        statement = statement.where(Result.end_time <= filters.ended_to)
    return statement
