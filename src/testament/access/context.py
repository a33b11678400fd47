"""Who acts in which project, with no HTTP request in sight.

The API's dependencies, the web UI's cookie sessions, the CLI and background workers all turn
"this actor, project `code`, permission `p`" into a `ProjectContext` through `open_project`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.permissions import ALL_PERMISSIONS
from testament.access.visibility import visible_projects
from testament.kit.errors import Forbidden, NotFound
from testament.models.project import Project


@dataclass(frozen=True)
class ProjectContext:
    """A project the actor may see, and the actor: what every project-scoped service takes."""

    project: Project
    actor: Actor


def known_permission(permission: str) -> str:
    """`permission`, or ValueError for a name `access.permissions` does not define."""
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission


def check_permission(actor: Actor, permission: str) -> None:
    """403 unless the actor's role holds `permission`."""
    if not actor.can(permission):
        raise Forbidden(f"Forbidden: your role ({actor.role}) lacks the permission `{permission}`.")


def find_visible_project(session: Session, actor: Actor, code: str) -> Project:
    """The project with `code` (any letter case) if the actor may see it; 404 otherwise."""
    project = session.scalar(
        select(Project).where(func.upper(Project.code) == code.upper(), visible_projects(actor))
    )
    if project is None:
        raise NotFound(f"Project not found: no project with code {code.upper()}.")
    return project


def open_project(session: Session, actor: Actor, code: str, permission: str) -> ProjectContext:
    """The actor's context in project `code`: 404 when the project is absent or hidden from the
    actor, then 403 when the actor lacks `permission`.

    Visibility is checked first, so a caller learns nothing about projects hidden from it.
    """
    known_permission(permission)
    project = find_visible_project(session, actor, code)
    check_permission(actor, permission)
    return ProjectContext(project=project, actor=actor)
