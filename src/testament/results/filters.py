"""The filters of a result list, typed: read from `GET /result/{code}`'s query here, and built the
same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from testament.kit.errors import BadRequest
from testament.kit.filters import ListFilters
from testament.kit.repository import ID_MAX, NUMBER_MAX
from testament.kit.timestamps import parse_datetime
from testament.results.ingest import RESULT_STATUSES


@dataclass(frozen=True)
class ResultFilters(ListFilters):
    """Each filter given narrows the list; an empty tuple of ids matches no result."""

    status: str | None = None
    runs: tuple[int, ...] | None = None  # run numbers in the project, any of them
    cases: tuple[int, ...] | None = None  # case numbers in the project, any of them
    authors: tuple[int, ...] | None = None  # author ids, any of them
    api: bool | None = None  # sent through the API (True) or not
    ended_from: datetime | None = None  # inclusive, UTC
    ended_to: datetime | None = None  # inclusive, UTC

    @classmethod
    def from_query(
        cls,
        *,
        status: str | None = None,
        run: str | None = None,
        case_id: str | None = None,
        member: str | None = None,
        api: bool | None = None,
        from_end_time: str | None = None,
        to_end_time: str | None = None,
    ) -> ResultFilters:
        """From the query parameters: ids as comma lists, times as `Y-m-d H:i:s` (or ISO-8601);
        400 naming the parameter."""
        if status and status not in RESULT_STATUSES:
            raise BadRequest.parameter("status", f"one of {', '.join(RESULT_STATUSES)}")
        return cls(
            status=status or None,
            runs=_ints("run", run),
            cases=_ints("case_id", case_id),
            authors=_ints("member", member, ID_MAX),
            api=api,
            ended_from=_time("from_end_time", from_end_time),
            ended_to=_time("to_end_time", to_end_time),
        )


def _ints(name: str, raw: str | None, maximum: int = NUMBER_MAX) -> tuple[int, ...] | None:
    if not raw:
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not all(v.isdigit() and 1 <= int(v) <= maximum for v in values):
        raise BadRequest.parameter(name, "a comma list of ids")
    return tuple(int(v) for v in values)


def _time(name: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise BadRequest.parameter(name, "use `Y-m-d H:i:s`") from None
