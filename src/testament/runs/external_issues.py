"""A run's link to an issue in an external tracker: one per run, replaced or removed (null)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.external_issues import service as external_issues
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.kit.repository import ids_for_numbers
from testament.models.runs import Run
from testament.runs.schemas import RunExternalIssues


def update_links(session: Session, ctx: ProjectContext, body: RunExternalIssues) -> None:
    if not body.links:
        raise Invalid.field("links", "give at least one link")
    numbers = {link.run_id for link in body.links}
    run_ids = ids_for_numbers(session, Run, ctx.project.id, numbers)
    for index, link in enumerate(body.links):
        if link.run_id not in run_ids:
            raise Invalid.field(f"links[{index}].run_id", f"Test run {link.run_id} not found.")
        if link.external_issue is not None:
            external_issues.check_issue_id_length(
                f"links[{index}].external_issue", link.external_issue
            )
    for link in body.links:
        external_issues.replace_link(
            session, ctx.project.id, "run", run_ids[link.run_id], body.type, link.external_issue
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
