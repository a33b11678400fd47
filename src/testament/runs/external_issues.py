"""A run's link to an issue in an external tracker: one per run, replaced or removed (null)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases.external_issues import check_issue_id_length, parse_issue_reference
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.models.external_issues import ExternalIssueLink
from testament.models.runs import Run
from testament.runs.schemas import RunExternalIssues


def update_links(session: Session, ctx: ProjectContext, body: RunExternalIssues) -> None:
    if not body.links:
        raise Invalid.field("links", "give at least one link")
    numbers = {link.run_id for link in body.links}
    run_ids = dict(
        session.execute(
            select(Run.number, Run.id).where(
                Run.project_id == ctx.project.id, Run.number.in_(numbers)
            )
        ).all()
    )
    for index, link in enumerate(body.links):
        if link.run_id not in run_ids:
            raise Invalid.field(f"links[{index}].run_id", f"Test run {link.run_id} not found.")
        if link.external_issue is not None:
            check_issue_id_length(f"links[{index}].external_issue", link.external_issue)
    for link in body.links:
        run_id = run_ids[link.run_id]
        session.execute(
            delete(ExternalIssueLink).where(
                ExternalIssueLink.entity_type == "run", ExternalIssueLink.entity_id == run_id
            )
        )
        if link.external_issue is not None:
            external_id, url = parse_issue_reference(link.external_issue)
            session.add(
                ExternalIssueLink(
                    project_id=ctx.project.id,
                    entity_type="run",
                    entity_id=run_id,
                    type=body.type,
                    external_id=external_id,
                    link=url,
                )
            )
        session.flush()
        audit.event(
            session,
            ctx.actor,
            "link_external_issue",
            "run",
            link.run_id,
            project_id=ctx.project.id,
            changes={"type": body.type, "issue": link.external_issue},
        )
