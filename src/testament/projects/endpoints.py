"""`/v1/project` routes: parse, authorize, call the service, wrap in the envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.http.deps import Page, SessionDep, project_access, require
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.projects import grants, listing, service
from testament.projects.schemas import Project, ProjectAccessChange, ProjectCode, ProjectCreate
from testament.storage import store_for

router = APIRouter(prefix="/project", tags=["projects"])

CanReadProjects = Annotated[Actor, Depends(require("project.read"))]
CanCreateProjects = Annotated[Actor, Depends(require("project.create"))]
CanReadProject = Annotated[ProjectContext, Depends(project_access("project.read"))]
CanDeleteProject = Annotated[ProjectContext, Depends(project_access("project.delete"))]
CanGrantAccess = Annotated[ProjectContext, Depends(project_access("project.grant_access"))]


@router.get("", operation_id="get-projects", response_model=Envelope[ListResult[Project]])
def get_projects(actor: CanReadProjects, session: SessionDep, page: Page) -> object:
    """List the projects the caller can see, with their counts."""
    return json_response(Envelope(result=listing.list_projects(session, actor, page)))


@router.post("", operation_id="create-project", response_model=Envelope[ProjectCode])
def create_project(actor: CanCreateProjects, session: SessionDep, body: ProjectCreate) -> object:
    """Create a project; answers its code."""
    project = service.create_project(session, actor, body)
    return Envelope(result=ProjectCode(code=project.code))


@router.get("/{code}", operation_id="get-project", response_model=Envelope[Project])
def get_project(ctx: CanReadProject, session: SessionDep) -> object:
    """Get a project by code, with its counts."""
    return json_response(Envelope(result=service.describe(session, [ctx.project])[0]))


@router.delete("/{code}", operation_id="delete-project", response_model=StatusOnly)
def delete_project(ctx: CanDeleteProject, session: SessionDep, request: Request) -> object:
    """Delete a project and everything in it."""
    service.delete_project(session, ctx.actor, ctx.project, store_for(request.app.state))
    return StatusOnly()


@router.post("/{code}/access", operation_id="grant-access-to-project", response_model=StatusOnly)
def grant_access(ctx: CanGrantAccess, session: SessionDep, body: ProjectAccessChange) -> object:
    """Grant a user access to the project."""
    grants.grant(session, ctx, body.member_id)
    return StatusOnly()


@router.delete("/{code}/access", operation_id="revoke-access-to-project", response_model=StatusOnly)
def revoke_access(ctx: CanGrantAccess, session: SessionDep, body: ProjectAccessChange) -> object:
    """Revoke a user's access to the project."""
    grants.revoke(session, ctx, body.member_id)
    return StatusOnly()
