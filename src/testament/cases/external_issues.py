"""Links between cases and issues in an external tracker (`/case/{code}/external-issue/...`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases.schemas import CaseExternalIssues
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.models.base import TITLE_LENGTH
from testament.models.cases import Case
from testament.models.external_issues import ExternalIssueLink


def _case_ids(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> dict[int, int]:
    numbers = {link.case_id for link in body.links}
    found = dict(
        session.execute(
            select(Case.number, Case.id).where(
                Case.project_id == ctx.project.id,
                Case.number.in_(numbers),
                Case.deleted_at.is_(None),
            )
        ).all()
    )
    for index, link in enumerate(body.links):
        if link.case_id not in found:
            raise Invalid.field(f"links[{index}].case_id", f"Test case {link.case_id} not found.")
    return found


def parse_issue_reference(reference: str) -> tuple[str, str | None]:
    """`PROJ-1` -> (PROJ-1, None); a URL -> (its last path segment, the URL)."""
    reference = reference.strip()
    parts = urlsplit(reference)
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts.path.rstrip("/").rsplit("/", 1)[-1] or reference, reference
    return reference, None


def check_issue_id_length(field: str, reference: str) -> None:
    """The issue id (the reference, or a URL's last segment) must fit its column (422)."""
    if len(parse_issue_reference(reference)[0]) > TITLE_LENGTH:
        raise Invalid.field(field, f"an issue id is at most {TITLE_LENGTH} characters")


def _validate(body: CaseExternalIssues) -> None:
    if not body.links:
        raise Invalid.field("links", "give at least one link")
    for index, link in enumerate(body.links):
        for issue_index, issue in enumerate(link.external_issues):
            field = f"links[{index}].external_issues[{issue_index}]"
            if not issue.strip() or len(issue) > 2048:
                raise Invalid.field(field, "an issue id or URL is required")
            check_issue_id_length(field, issue)


def attach(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> None:
    """Link issues to cases; linking an already linked issue changes nothing."""
    _validate(body)
    case_ids = _case_ids(session, ctx, body)
    for link in body.links:
        case_id = case_ids[link.case_id]
        existing = set(
            session.scalars(
                select(ExternalIssueLink.external_id).where(
                    ExternalIssueLink.entity_type == "case",
                    ExternalIssueLink.entity_id == case_id,
                    ExternalIssueLink.type == body.type,
                )
            )
        )
        for reference in link.external_issues:
            external_id, url = parse_issue_reference(reference)
            if external_id in existing:
                continue
            existing.add(external_id)
            session.add(
                ExternalIssueLink(
                    project_id=ctx.project.id,
                    entity_type="case",
                    entity_id=case_id,
                    type=body.type,
                    external_id=external_id,
                    link=url,
                )
            )
    audit.event(
        session,
        ctx.actor,
        "attach_external_issues",
        "case",
        ",".join(str(link.case_id) for link in body.links)[:64],
        project_id=ctx.project.id,
        changes={"type": body.type},
    )


def detach(session: Session, ctx: ProjectContext, body: CaseExternalIssues) -> None:
    _validate(body)
    case_ids = _case_ids(session, ctx, body)
    for link in body.links:
        session.execute(
            delete(ExternalIssueLink).where(
                ExternalIssueLink.entity_type == "case",
                ExternalIssueLink.entity_id == case_ids[link.case_id],
                ExternalIssueLink.type == body.type,
                ExternalIssueLink.external_id.in_(
                    [parse_issue_reference(r)[0] for r in link.external_issues]
                ),
            )
        )
    audit.event(
        session,
        ctx.actor,
        "detach_external_issues",
        "case",
        ",".join(str(link.case_id) for link in body.links)[:64],
        project_id=ctx.project.id,
        changes={"type": body.type},
    )
