"""Project rules: creation with a unique code, lookups, counts, deletion."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.visibility import visible_projects
from testament.attachments import service as attachments
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import start_counters
from testament.models.identity import Group
from testament.models.project import Project
from testament.projects import counts as project_counts
from testament.projects.schemas import Project as ProjectSchema
from testament.projects.schemas import ProjectCreate
from testament.storage import AttachmentStore


def visible_statement(actor: Actor) -> Select[Project]:
    return select(Project).where(visible_projects(actor)).order_by(Project.id)


def create_project(session: Session, actor: Actor | None, data: ProjectCreate) -> Project:
    code = data.code.upper()
    if session.scalar(select(Project.id).where(func.upper(Project.code) == code)) is not None:
        raise Invalid.field("code", f"Project with code {code} already exists.")
    group_id = None
    if data.access == "group":
        group_id = session.scalar(select(Group.id).where(Group.hash == data.group))
        if group_id is None:
            raise Invalid.field("group", f"Group {data.group} not found.")
    project = Project(
        code=code,
        title=data.title,
        description=data.description,
        access=data.access,
        group_id=group_id,
        settings=data.settings,
        author_id=actor.author_id if actor else None,
    )
    try:
        # A savepoint turns a concurrent duplicate into a clean 422 instead of a 500.
        with session.begin_nested():
            session.add(project)
            session.flush()
    except IntegrityError as exc:
        raise Invalid.field("code", f"Project with code {code} already exists.") from exc
    start_counters(session, project.id)
    audit.created(
        session,
        actor,
        "project",
        code,
        project_id=project.id,
        changes={"title": data.title, "access": data.access},
    )
    return project


def delete_project(
    session: Session, actor: Actor | None, project: Project, store: AttachmentStore
) -> None:
    """Delete the project; rows go by cascade, attachment files no other project uses go too."""
    audit.deleted(
        session,
        actor,
        "project",
        project.code,
        project_id=project.id,
        changes={"title": project.title},
    )
    attachments.delete_project_files(session, store, project.id)
    # The context's project was read in another session (see http.deps): delete this one's.
    session.delete(session.get_one(Project, project.id))
    session.flush()


def get_by_code(session: Session, code: str) -> Project:
    project = session.scalar(select(Project).where(func.upper(Project.code) == code.upper()))
    if project is None:
        raise NotFound(f"Project not found: no project with code {code.upper()}.")
    return project


def describe(session: Session, projects: Sequence[Project]) -> list[ProjectSchema]:
    """Projects as the API shows them, with their counts (a fixed number of queries per page)."""
    counts = project_counts.for_projects(session, [p.id for p in projects])
    return [ProjectSchema(title=p.title, code=p.code, counts=counts[p.id]) for p in projects]
