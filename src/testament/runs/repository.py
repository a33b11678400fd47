"""Run queries: the project's runs, narrowed by typed `RunFilters`."""

from __future__ import annotations

from sqlalchemy import Select, select

from testament.kit.repository import points_to_numbers
from testament.kit.text_search import contains_ignoring_case
from testament.models.environments import Environment
from testament.models.milestones import Milestone
from testament.models.runs import Run
from testament.runs.filters import RunFilters


def project_runs(project_id: int) -> Select[Run]:
    return select(Run).where(Run.project_id == project_id).order_by(Run.number.desc())


def filtered_runs(project_id: int, filters: RunFilters) -> Select[Run]:
    statement = project_runs(project_id)
    if filters.search:
        statement = statement.where(contains_ignoring_case(Run.title, filters.search))
    if filters.status is not None:
        statement = statement.where(Run.status.in_(filters.status))
    if filters.milestone is not None:
        statement = statement.where(
            points_to_numbers(Run.milestone_id, Milestone, project_id, [filters.milestone])
        )
    if filters.environment is not None:
        statement = statement.where(
            points_to_numbers(Run.environment_id, Environment, project_id, [filters.environment])
        )
    if filters.started_from is not None:
        statement = statement.where(Run.start_time >= filters.started_from)
    if filters.started_to is not None:
        statement = statement.where(Run.start_time <= filters.started_to)
    return statement
