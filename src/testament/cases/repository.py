"""Case queries: the project's live cases, and the list filters of `GET /case/{code}`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, exists, select

from testament.kit.errors import BadRequest, Invalid
from testament.models.cases import Case
from testament.models.external_issues import ExternalIssueLink
from testament.models.milestones import Milestone
from testament.models.suites import Suite
from testament.system_fields.catalog import resolve_option

# Query parameter -> the case column and system field it filters.
ENUM_FILTERS = ("severity", "priority", "type", "behavior", "automation", "status")


@dataclass
class CaseFilters:
    search: str | None = None
    milestone_id: int | None = None
    suite_id: int | None = None
    enums: dict[str, str | None] = field(default_factory=dict)
    external_issue_type: str | None = None
    external_issue_ids: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            self.search
            or self.milestone_id is not None
            or self.suite_id is not None
            or any(self.enums.values())
            or self.external_issue_type
            or self.external_issue_ids
        )


def live_cases(project_id: int) -> Select[Case]:
    return (
        select(Case)
        .where(Case.project_id == project_id, Case.deleted_at.is_(None))
        .order_by(Case.number)
    )


def _option_ids(name: str, raw: str) -> list[int]:
    try:
        return [resolve_option(name, value.strip()) for value in raw.split(",") if value.strip()]
    except Invalid as exc:
        message = exc.fields[0].error if exc.fields else exc.message
        raise BadRequest.parameter(name, message) from None


def filtered_cases(project_id: int, filters: CaseFilters) -> Select[Case]:
    statement = live_cases(project_id)
    if filters.search:
        statement = statement.where(Case.title.icontains(filters.search, autoescape=True))
    if filters.milestone_id is not None:
        statement = statement.where(
            Case.milestone_id.in_(
                select(Milestone.id).where(
                    Milestone.project_id == project_id, Milestone.number == filters.milestone_id
                )
            )
        )
    if filters.suite_id is not None:
        statement = statement.where(
            Case.suite_id.in_(
                select(Suite.id).where(
                    Suite.project_id == project_id, Suite.number == filters.suite_id
                )
            )
        )
    for name, raw in filters.enums.items():
        if raw:
            statement = statement.where(getattr(Case, name).in_(_option_ids(name, raw)))
    if filters.external_issue_type or filters.external_issue_ids:
        link = exists().where(
            ExternalIssueLink.entity_type == "case",
            ExternalIssueLink.entity_id == Case.id,
            ExternalIssueLink.project_id == project_id,
        )
        if filters.external_issue_type:
            link = link.where(ExternalIssueLink.type == filters.external_issue_type)
        if filters.external_issue_ids:
            link = link.where(ExternalIssueLink.external_id.in_(filters.external_issue_ids))
        statement = statement.where(link)
    return statement
