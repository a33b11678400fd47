"""Which projects an actor may see. Used for gets (404 when hidden) and lists (filtered out)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select, true

from testament.access.actor import Actor
from testament.models.identity import GroupMember, ProjectAccess
from testament.models.project import Project


def visible_projects(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `Project` true for the projects the actor may see."""
    if actor.sees_all_projects:
        return true()
    user_groups = select(GroupMember.group_id).where(GroupMember.user_id == actor.user_id)
    granted = exists().where(
        ProjectAccess.project_id == Project.id,
        or_(ProjectAccess.user_id == actor.user_id, ProjectAccess.group_id.in_(user_groups)),
    )
    return or_(
        Project.access == "all",
        (Project.access == "group") & Project.group_id.in_(user_groups),
        granted,
    )
