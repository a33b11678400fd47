"""Per-project access grants (`/project/{code}/access`)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.kit import audit
from testament.kit.errors import Invalid
from testament.models.identity import ProjectAccess, User


def _require_user(session: Session, member_id: int) -> None:
    if session.get(User, member_id) is None:
        raise Invalid.field("member_id", f"User {member_id} not found.")


def grant(session: Session, ctx: ProjectContext, member_id: int) -> None:
    """Idempotent: granting twice leaves one grant."""
    _require_user(session, member_id)
    exists = session.scalar(
        select(ProjectAccess.id).where(
            ProjectAccess.project_id == ctx.project.id, ProjectAccess.user_id == member_id
        )
    )
    if exists is None:
        session.add(ProjectAccess(project_id=ctx.project.id, user_id=member_id))
        audit.event(
            session,
            ctx.actor,
            "grant_access",
            "project",
            ctx.project.code,
            project_id=ctx.project.id,
            changes={"member_id": member_id},
        )


def revoke(session: Session, ctx: ProjectContext, member_id: int) -> None:
    _require_user(session, member_id)
    session.execute(
        delete(ProjectAccess).where(
            ProjectAccess.project_id == ctx.project.id, ProjectAccess.user_id == member_id
        )
    )
    audit.event(
        session,
        ctx.actor,
        "revoke_access",
        "project",
        ctx.project.code,
        project_id=ctx.project.id,
        changes={"member_id": member_id},
    )
