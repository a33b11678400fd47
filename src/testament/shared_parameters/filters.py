"""The filters of the shared parameter list, typed: read from `GET /shared_parameter`'s query
here, and built the same way by the web UI and the query language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from testament.kit.errors import BadRequest
from testament.shared_parameters.schemas import ParameterType

PROJECT_CODES_FILTER = "filters[project_codes][]"


@dataclass(frozen=True)
class SharedParameterFilters:
    search: str | None = None  # in the title, ignoring case
    type: ParameterType | None = None
    project_codes: tuple[str, ...] = ()  # available in any of these projects

    @property
    def any(self) -> bool:
        return self.search is not None or self.type is not None or bool(self.project_codes)

    @classmethod
    def from_query(
        cls,
        *,
        search: str | None = None,
        type: ParameterType | None = None,
        project_codes: Sequence[str] | None = None,
    ) -> SharedParameterFilters:
        """From the query parameters: project codes repeated or comma-separated (the official
        client sends the latter); 400 naming the parameter."""
        return cls(
            search=search or None, type=type, project_codes=_split_codes(project_codes or [])
        )


def _split_codes(raw: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(code.strip() for value in raw for code in value.split(",") if code.strip())
    for code in codes:
        if not 2 <= len(code) <= 10:
            message = f"project code {code!r} must be 2-10 characters"
            raise BadRequest.parameter(PROJECT_CODES_FILTER, message)
    return codes
