"""Case queries: the project's live cases, narrowed by typed `CaseFilters`."""

from __future__ import annotations

from sqlalchemy import Select, exists, select

from testament.cases.filters import ENUM_FILTERS, CaseFilters
from testament.kit.repository import points_to_numbers
from testament.kit.text_search import contains_ignoring_case
from testament.models.cases import Case
from testament.models.external_issues import ExternalIssueLink
from testament.models.milestones import Milestone
from testament.models.suites import Suite


def live_cases(project_id: int) -> Select[Case]:
    return (
        select(Case)
        .where(Case.project_id == project_id, Case.deleted_at.is_(None))
        .order_by(Case.number)
    )


def filtered_cases(project_id: int, filters: CaseFilters) -> Select[Case]:
    statement = live_cases(project_id)
    if filters.search:
        statement = statement.where(contains_ignoring_case(Case.title, filters.search))
    if filters.milestone is not None:
        statement = statement.where(
            points_to_numbers(Case.milestone_id, Milestone, project_id, [filters.milestone])
        )
    if filters.suite is not None:
        statement = statement.where(
            points_to_numbers(Case.suite_id, Suite, project_id, [filters.suite])
        )
    for name in ENUM_FILTERS:
        option_ids = filters.options(name)
        if option_ids is not None:
            statement = statement.where(getattr(Case, name).in_(option_ids))
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
