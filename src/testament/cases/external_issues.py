"""Links between cases and issues in an external tracker (`/case/{code}/external-issue/...`)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases.schemas import CaseExternalIssues
from testament.external_issues import service as external_issues
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.kit.repository import ids_for_numbers
from testament.models.cases import Case


def _case_ids(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> dict[int, int]:
    numbers = {link.case_id for link in body.links}
    found = ids_for_numbers(session, Case, ctx.project.id, numbers, Case.deleted_at.is_(None))
    for index, link in enumerate(body.links):
        if link.case_id not in found:
            raise Invalid.field(f"links[{index}].case_id", f"Test case {link.case_id} not found.")
    return found


def _validate(body: CaseExternalIssues) -> None:
    if not body.links:
        raise Invalid.field("links", "give at least one link")
    for index, link in enumerate(body.links):
        for issue_index, issue in enumerate(link.external_issues):
            field = f"links[{index}].external_issues[{issue_index}]"
            if not issue.strip() or len(issue) > 2048:
                raise Invalid.field(field, "an issue id or URL is required")
            external_issues.check_issue_id_length(field, issue)


def _references(
    session: Session, ctx: ProjectContext, body: CaseExternalIssues
) -> dict[int, list[str]]:
    """The body's issue references by case id (a case given twice gets both lists)."""
    _validate(body)
    case_ids = _case_ids(session, ctx, body)
    references: dict[int, list[str]] = defaultdict(list)
    for link in body.links:
        references[case_ids[link.case_id]] += link.external_issues
    return references


def _cases_named(body: CaseExternalIssues) -> str:
    return ",".join(str(link.case_id) for link in body.links)[:64]


def attach(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> None:
    """Link issues to cases; linking an already linked issue changes nothing."""
    references = _references(session, ctx, body)
    external_issues.attach(session, ctx.project.id, "case", body.type, references)
    audit.event(
        session,
        ctx.actor,
        "attach_external_issues",
        "case",
        _cases_named(body),
        project_id=ctx.project.id,
        changes={"type": body.type},
    )


def detach(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> None:
    references = _references(session, ctx, body)
    external_issues.detach(session, "case", body.type, references)
    audit.event(
        session,
        ctx.actor,
        "detach_external_issues",
        "case",
        _cases_named(body),
        project_id=ctx.project.id,
        changes={"type": body.type},
    )
