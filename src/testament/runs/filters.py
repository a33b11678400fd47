"""The filters of a run list, typed: read from `GET /run/{code}`'s query here, and built the same
way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from testament.kit.errors import BadRequest
from testament.kit.filters import ListFilters
from testament.kit.timestamps import from_unix
from testament.runs.statuses import STATUS_FILTER_ALIASES


@dataclass(frozen=True)
class RunFilters(ListFilters):
    """Each filter given narrows the list; an empty tuple of statuses matches no run."""

    search: str | None = None  # in the title, ignoring case
    status: tuple[str, ...] | None = None  # stored statuses, any of them
    milestone: int | None = None  # the milestone's number in the project
    environment: int | None = None  # the environment's number in the project
    started_from: datetime | None = None  # inclusive, UTC
    started_to: datetime | None = None  # inclusive, UTC

    @classmethod
    def from_query(
        cls,
        *,
        search: str | None = None,
        status: str | None = None,
        milestone: int | None = None,
        environment: int | None = None,
        from_start_time: int | None = None,
        to_start_time: int | None = None,
    ) -> RunFilters:
        """From the query parameters: `status` a comma list of v1 and v2 names, times in unix
        seconds; 400 naming the parameter."""
        return cls(
            search=search or None,
            status=_statuses(status) if status else None,
            milestone=milestone,
            environment=environment,
            started_from=_epoch("from_start_time", from_start_time),
            started_to=_epoch("to_start_time", to_start_time),
        )


def _statuses(raw: str) -> tuple[str, ...]:
    wanted: list[str] = []
    for value in (v.strip() for v in raw.split(",") if v.strip()):
        if value not in STATUS_FILTER_ALIASES:
            message = f"unknown status {value!r}; possible: {', '.join(STATUS_FILTER_ALIASES)}"
            raise BadRequest.parameter("status", message)
        wanted += STATUS_FILTER_ALIASES[value]
    return tuple(wanted)


def _epoch(name: str, value: int | None) -> datetime | None:
    if value is None:
        return None
    try:
        return from_unix(value)
    except ValueError:
        raise BadRequest.parameter(name, "not a unix time") from None
