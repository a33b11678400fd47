"""`/v1/case/{code}` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from testament.access.context import ProjectContext
from testament.cases import external_issues, listing, read, service
from testament.cases.filters import CaseFilters
from testament.cases.schemas import (
    Case,
    CaseBulk,
    CaseCreate,
    CaseExternalIssues,
    CaseId,
    CaseIds,
    CaseUpdate,
)
from testament.http.deps import BaseUrl, Page, SessionDep, project_access
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.kit.pagination import parse_include
from testament.kit.repository import NUMBER_MAX

router = APIRouter(prefix="/case", tags=["cases"])

CanReadCases = Annotated[ProjectContext, Depends(project_access("case.read"))]
CanCreateCases = Annotated[ProjectContext, Depends(project_access("case.create"))]
CanUpdateCases = Annotated[ProjectContext, Depends(project_access("case.update"))]
CanDeleteCases = Annotated[ProjectContext, Depends(project_access("case.delete"))]
CaseNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Case id within the project.")]
Include = Annotated[
    str | None, Query(description="Comma list of related entities to include: external_issues.")
]
INCLUDABLE = frozenset({"external_issues"})


@router.get("/{code}", operation_id="get-cases", response_model=Envelope[ListResult[Case]])
def get_cases(
    ctx: CanReadCases,
    session: SessionDep,
    page: Page,
    base_url: BaseUrl,
    request: Request,
    search: Annotated[str | None, Query(max_length=255)] = None,
    milestone_id: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    suite_id: Annotated[int | None, Query(ge=1, le=NUMBER_MAX)] = None,
    severity: str | None = None,
    priority: str | None = None,
    type: str | None = None,
    behavior: str | None = None,
    automation: str | None = None,
    status: str | None = None,
    include: Include = None,
) -> object:
    """List the project's cases, filtered."""
    parse_include(include, INCLUDABLE)
    filters = CaseFilters.from_query(
        search=search,
        milestone_id=milestone_id,
        suite_id=suite_id,
        severity=severity,
        priority=priority,
        type=type,
        behavior=behavior,
        automation=automation,
        status=status,
        external_issue_type=request.query_params.get("external_issues[type]"),
        external_issue_ids=request.query_params.getlist("external_issues[ids][]"),
    )
    listed = listing.list_cases(session, ctx, filters, page, base_url=base_url)
    return json_response(Envelope(result=listed))


@router.post("/{code}", operation_id="create-case", response_model=Envelope[CaseId])
def create_case(ctx: CanCreateCases, session: SessionDep, body: CaseCreate) -> object:
    """Create a case; answers its id."""
    case = service.create_case(session, ctx, body)
    return Envelope(result=CaseId(id=case.number))


@router.get("/{code}/{id}", operation_id="get-case", response_model=Envelope[Case])
def get_case(
    ctx: CanReadCases,
    session: SessionDep,
    base_url: BaseUrl,
    id: CaseNumber,
    include: Include = None,
) -> object:
    """Get a case with its steps, parameters, tags, custom fields and attachments."""
    parse_include(include, INCLUDABLE)
    case = service.get_case(session, ctx.project.id, id)
    return json_response(Envelope(result=read.describe(session, [case], base_url)[0]))


@router.patch("/{code}/{id}", operation_id="update-case", response_model=Envelope[CaseId])
def update_case(
    ctx: CanUpdateCases, session: SessionDep, id: CaseNumber, body: CaseUpdate
) -> object:
    """Update the fields given; bumps the case's revision."""
    case = service.update_case(session, ctx, id, body)
    return Envelope(result=CaseId(id=case.number))


@router.delete("/{code}/{id}", operation_id="delete-case", response_model=Envelope[CaseId])
def delete_case(ctx: CanDeleteCases, session: SessionDep, id: CaseNumber) -> object:
    """Delete a case from the repository (runs and results keep showing it)."""
    service.delete_case(session, ctx, id)
    return Envelope(result=CaseId(id=id))


@router.post("/{code}/bulk", operation_id="bulk", response_model=Envelope[CaseIds])
def bulk_create(
    ctx: CanCreateCases, session: SessionDep, request: Request, body: CaseBulk
) -> object:
    """Create many cases at once, all or nothing."""
    limit = request.app.state.settings.bulk_max_items
    return Envelope(result=CaseIds(ids=service.bulk_create(session, ctx, body.cases, limit)))


@router.post(
    "/{code}/external-issue/attach",
    operation_id="case-attach-external-issue",
    response_model=StatusOnly,
)
def attach_external_issues(
    ctx: CanUpdateCases, session: SessionDep, body: CaseExternalIssues
) -> object:
    """Link external issues to cases."""
    external_issues.attach(session, ctx, body)
    return StatusOnly()


@router.post(
    "/{code}/external-issue/detach",
    operation_id="case-detach-external-issue",
    response_model=StatusOnly,
)
def detach_external_issues(
    ctx: CanUpdateCases, session: SessionDep, body: CaseExternalIssues
) -> object:
    """Unlink external issues from cases."""
    external_issues.detach(session, ctx, body)
    return StatusOnly()
