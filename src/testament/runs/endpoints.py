"""`/v1/run/{code}` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.http.deps import BaseUrl, Page, SessionDep, project_access
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.kit.pagination import parse_include
from testament.kit.repository import NUMBER_MAX
from testament.runs import external_issues, listing, read, service
from testament.runs.filters import RunFilters
from testament.runs.schemas import (
    PublicUrl,
    Run,
    RunCreate,
    RunExternalIssues,
    RunId,
    RunPublicity,
    RunUpdate,
)

router = APIRouter(prefix="/run", tags=["runs"])

CanReadRuns = Annotated[ProjectContext, Depends(project_access("run.read"))]
CanCreateRuns = Annotated[ProjectContext, Depends(project_access("run.create"))]
CanUpdateRuns = Annotated[ProjectContext, Depends(project_access("run.update"))]
CanDeleteRuns = Annotated[ProjectContext, Depends(project_access("run.delete"))]
CanCompleteRuns = Annotated[ProjectContext, Depends(project_access("run.complete"))]
CanPublishRuns = Annotated[ProjectContext, Depends(project_access("run.public"))]
RunNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Run id within the project.")]
Include = Annotated[
    str | None,
    Query(description="Comma list of related ids to include: cases, defects, external_issue."),
]
INCLUDABLE = frozenset({"cases", "defects", "external_issue"})


@router.get("/{code}", operation_id="get-runs", response_model=Envelope[ListResult[Run]])
def get_runs(
    ctx: CanReadRuns,
    session: SessionDep,
    page: Page,
    search: Annotated[str | None, Query(max_length=255)] = None,
    status: Annotated[
        str | None, Query(description="Comma list: in_progress, passed, failed, aborted")
    ] = None,
    milestone: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    environment: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    from_start_time: Annotated[int | None, Query(ge=0)] = None,
    to_start_time: Annotated[int | None, Query(ge=0)] = None,
    include: Include = None,
) -> object:
    """List the project's runs, newest first, filtered."""
    include_cases = "cases" in parse_include(include, INCLUDABLE)
    filters = RunFilters.from_query(
        search=search,
        status=status,
        milestone=milestone,
        environment=environment,
        from_start_time=from_start_time,
        to_start_time=to_start_time,
    )
    listed = listing.list_runs(session, ctx, filters, page, include_cases=include_cases)
    return json_response(Envelope(result=listed))


@router.post("/{code}", operation_id="create-run", response_model=Envelope[RunId])
def create_run(ctx: CanCreateRuns, session: SessionDep, body: RunCreate) -> object:
    """Create a run from cases, a plan, or every case of the project."""
    return Envelope(result=RunId(id=service.create_run(session, ctx, body).number))


@router.post(
    "/{code}/external-issue", operation_id="run-update-external-issue", response_model=StatusOnly
)
def update_external_issue(
    ctx: CanUpdateRuns, session: SessionDep, body: RunExternalIssues
) -> object:
    """Link each run to one external issue, or unlink it (`external_issue: null`)."""
    external_issues.update_links(session, ctx, body)
    return StatusOnly()


@router.get("/{code}/{id}", operation_id="get-run", response_model=Envelope[Run])
def get_run(
    ctx: CanReadRuns, session: SessionDep, id: RunNumber, include: Include = None
) -> object:
    """Get a run with its stats."""
    run = service.get_run(session, ctx.project.id, id)
    described = read.describe(
        session, [run], include_cases="cases" in parse_include(include, INCLUDABLE)
    )
    return json_response(Envelope(result=described[0]))


@router.patch("/{code}/{id}", operation_id="update-run", response_model=StatusOnly)
def update_run(ctx: CanUpdateRuns, session: SessionDep, id: RunNumber, body: RunUpdate) -> object:
    """Update the fields given."""
    service.update_run(session, ctx, id, body)
    return StatusOnly()


@router.delete("/{code}/{id}", operation_id="delete-run", response_model=Envelope[RunId])
def delete_run(ctx: CanDeleteRuns, session: SessionDep, id: RunNumber) -> object:
    """Delete a run and its results."""
    service.delete_run(session, ctx, id)
    return Envelope(result=RunId(id=id))


@router.patch(
    "/{code}/{id}/public", operation_id="update-run-publicity", response_model=Envelope[PublicUrl]
)
def update_publicity(
    ctx: CanPublishRuns,
    session: SessionDep,
    base_url: BaseUrl,
    id: RunNumber,
    body: RunPublicity,
) -> object:
    """Make the run's report public (answers its URL) or private again."""
    run = service.set_public(session, ctx, id, body.status)
    return Envelope(result=PublicUrl(url=f"{base_url}/public/run/{run.public_hash}"))


@router.post("/{code}/{id}/complete", operation_id="complete-run", response_model=StatusOnly)
def complete_run(ctx: CanCompleteRuns, session: SessionDep, id: RunNumber) -> object:
    """Complete the run; completing a completed run is not an error."""
    service.complete_run(session, ctx, id)
    return StatusOnly()
