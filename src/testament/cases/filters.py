"""The filters of a case list, typed: read from `GET /case/{code}`'s query here, and built the
same way by the web UI and the query language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from testament.kit.errors import BadRequest, Invalid
from testament.system_fields.catalog import resolve_option

# The option filters: each names a case column and the system field whose options it holds.
ENUM_FILTERS = ("severity", "priority", "type", "behavior", "automation", "status")

ISSUE_TYPES = frozenset(
    {
        "asana",
        "azure-devops",
        "clickup-app",
        "github-app",
        "gitlab-app",
        "jira-cloud",
        "jira-server",
        "linear",
        "monday",
        "redmine-app",
        "trello-app",
        "youtrack-app",
    }
)


@dataclass(frozen=True)
class CaseFilters:
    """Each filter given narrows the list; an empty tuple of options matches no case."""

    search: str | None = None  # in the title, ignoring case
    milestone: int | None = None  # the milestone's number in the project
    suite: int | None = None  # the suite's number in the project
    severity: tuple[int, ...] | None = None  # option ids, any of them
    priority: tuple[int, ...] | None = None
    type: tuple[int, ...] | None = None
    behavior: tuple[int, ...] | None = None
    automation: tuple[int, ...] | None = None
    status: tuple[int, ...] | None = None
    external_issue_type: str | None = None  # linked to an issue of this integration
    external_issue_ids: tuple[str, ...] = ()  # linked to any of these issues

    @property
    def any(self) -> bool:
        return bool(
            self.search
            or self.milestone is not None
            or self.suite is not None
            or any(self.options(name) is not None for name in ENUM_FILTERS)
            or self.external_issue_type
            or self.external_issue_ids
        )

    def options(self, name: str) -> tuple[int, ...] | None:
        """The option ids of the filter `name` (one of `ENUM_FILTERS`)."""
        value: tuple[int, ...] | None = getattr(self, name)
        return value

    @classmethod
    def from_query(
        cls,
        *,
        search: str | None = None,
        milestone_id: int | None = None,
        suite_id: int | None = None,
        severity: str | None = None,
        priority: str | None = None,
        type: str | None = None,
        behavior: str | None = None,
        automation: str | None = None,
        status: str | None = None,
        external_issue_type: str | None = None,
        external_issue_ids: Sequence[str] = (),
    ) -> CaseFilters:
        """From the query parameters, named as the client sent them: option lists are comma
        lists of ids or slugs; 400 naming the parameter."""
        if external_issue_type is not None and external_issue_type not in ISSUE_TYPES:
            message = (
                f"unknown integration {external_issue_type!r}; possible: {sorted(ISSUE_TYPES)}"
            )
            raise BadRequest.parameter("external_issues[type]", message)
        return cls(
            search=search or None,
            milestone=milestone_id,
            suite=suite_id,
            severity=_option_ids("severity", severity),
            priority=_option_ids("priority", priority),
            type=_option_ids("type", type),
            behavior=_option_ids("behavior", behavior),
            automation=_option_ids("automation", automation),
            status=_option_ids("status", status),
            external_issue_type=external_issue_type,
            external_issue_ids=tuple(external_issue_ids),
        )


def _option_ids(name: str, raw: str | None) -> tuple[int, ...] | None:
    if not raw:
        return None
    try:
        return tuple(
            resolve_option(name, value.strip()) for value in raw.split(",") if value.strip()
        )
    except Invalid as exc:
        message = exc.fields[0].error if exc.fields else exc.message
        raise BadRequest.parameter(name, message) from None
