"""Run queries: the project's runs and the list filters of `GET /run/{code}`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, select

from testament.kit import repository as numbered
from testament.kit.errors import BadRequest
from testament.models.environments import Environment
from testament.models.milestones import Milestone
from testament.models.runs import Run
from testament.runs.statuses import STATUS_FILTER_ALIASES


@dataclass
class RunFilters:
    search: str | None = None
    status: str | None = None
    milestone: int | None = None
    environment: int | None = None
    from_start_time: int | None = None
    to_start_time: int | None = None

    @property
    def any(self) -> bool:
        return any(v is not None and v != "" for v in vars(self).values())


def project_runs(project_id: int) -> Select[Run]:
    return select(Run).where(Run.project_id == project_id).order_by(Run.number.desc())


def _statuses(raw: str) -> list[str]:
    wanted: list[str] = []
    for value in (v.strip() for v in raw.split(",") if v.strip()):
        if value not in STATUS_FILTER_ALIASES:
            message = f"unknown status {value!r}; possible: {', '.join(STATUS_FILTER_ALIASES)}"
            raise BadRequest.parameter("status", message)
        wanted += STATUS_FILTER_ALIASES[value]
    return wanted


def _epoch(name: str, value: int) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise BadRequest.parameter(name, "not a unix time") from None


def filtered_runs(project_id: int, filters: RunFilters) -> Select[Run]:
    statement = project_runs(project_id)
    if filters.search:
        statement = statement.where(numbered.title_contains(Run, filters.search))
    if filters.status:
        statement = statement.where(Run.status.in_(_statuses(filters.status)))
    if filters.milestone is not None:
        statement = statement.where(
            Run.milestone_id.in_(
                select(Milestone.id).where(
                    Milestone.project_id == project_id, Milestone.number == filters.milestone
                )
            )
        )
    if filters.environment is not None:
        statement = statement.where(
            Run.environment_id.in_(
                select(Environment.id).where(
                    Environment.project_id == project_id, Environment.number == filters.environment
                )
            )
        )
    if filters.from_start_time is not None:
        statement = statement.where(
            Run.start_time >= _epoch("from_start_time", filters.from_start_time)
        )
    if filters.to_start_time is not None:
        statement = statement.where(
            Run.start_time <= _epoch("to_start_time", filters.to_start_time)
        )
    return statement
