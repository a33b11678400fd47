"""Result queries: the project's results and the filters of `GET /result/{code}`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from testament.cases.fields import parse_timestamp
from testament.kit.errors import BadRequest, Invalid
from testament.kit.repository import NUMBER_MAX
from testament.models.cases import Case
from testament.models.results import Result
from testament.models.runs import Run
from testament.results.ingest import RESULT_STATUSES


@dataclass
class ResultFilters:
    status: str | None = None
    run: str | None = None
    case_id: str | None = None
    member: str | None = None
    api: bool | None = None
    from_end_time: str | None = None
    to_end_time: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None and v != "" for v in vars(self).values())


def project_results(project_id: int) -> Select[Result]:
    return select(Result).where(Result.project_id == project_id).order_by(Result.id.desc())


def _ints(name: str, raw: str, maximum: int = NUMBER_MAX) -> list[int]:
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not all(v.isdigit() and 1 <= int(v) <= maximum for v in values):
        raise BadRequest.parameter(name, "a comma list of ids")
    return [int(v) for v in values]


def _time(name: str, raw: str) -> datetime:
    try:
        parsed = parse_timestamp(name, raw)
    except Invalid:
        raise BadRequest.parameter(name, "use `Y-m-d H:i:s`") from None
    assert parsed is not None
    return parsed


def filtered_results(project_id: int, filters: ResultFilters) -> Select[Result]:
    statement = project_results(project_id)
    if filters.status:
        if filters.status not in RESULT_STATUSES:
            raise BadRequest.parameter("status", f"one of {', '.join(RESULT_STATUSES)}")
        statement = statement.where(Result.status == filters.status)
    if filters.run:
        statement = statement.where(
            Result.run_id.in_(
                select(Run.id).where(
                    Run.project_id == project_id, Run.number.in_(_ints("run", filters.run))
                )
            )
        )
    if filters.case_id:
        statement = statement.where(
            Result.case_id.in_(
                select(Case.id).where(
                    Case.project_id == project_id,
                    Case.number.in_(_ints("case_id", filters.case_id)),
                )
            )
        )
    if filters.member:
        statement = statement.where(
            Result.author_id.in_(_ints("member", filters.member, 2**63 - 1))
        )
    if filters.api is not None:
        statement = statement.where(Result.is_api_result.is_(filters.api))
    if filters.from_end_time:
        statement = statement.where(
            Result.end_time >= _time("from_end_time", filters.from_end_time)
        )
    if filters.to_end_time:
        statement = statement.where(Result.end_time <= _time("to_end_time", filters.to_end_time))
    return statement
