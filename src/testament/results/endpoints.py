"""`/v1/result/{code}` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from testament.access.context import ProjectContext
from testament.http.bodies import ResultBodyRoute
from testament.http.deps import BaseUrl, Page, SessionDep, project_access
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, ListResult, StatusOnly
from testament.kit.repository import NUMBER_MAX
from testament.results import listing, read, service
from testament.results.filters import ResultFilters
from testament.results.schemas import (
    Result,
    ResultBulk,
    ResultCreate,
    ResultHash,
    ResultRef,
    ResultUpdate,
)

# Results are never lost for a lone surrogate in their text: see `http.bodies`.
router = APIRouter(prefix="/result", tags=["results"], route_class=ResultBodyRoute)

CanReadResults = Annotated[ProjectContext, Depends(project_access("result.read"))]
CanCreateResults = Annotated[ProjectContext, Depends(project_access("result.create"))]
CanUpdateResults = Annotated[ProjectContext, Depends(project_access("result.update"))]
CanDeleteResults = Annotated[ProjectContext, Depends(project_access("result.delete"))]
RunNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Run id within the project.")]
ResultHashPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/{code}", operation_id="get-results", response_model=Envelope[ListResult[Result]])
def get_results(
    ctx: CanReadResults,
    session: SessionDep,
    page: Page,
    base_url: BaseUrl,
    status: str | None = None,
    run: Annotated[str | None, Query(description="Comma list of run ids.")] = None,
    case_id: Annotated[str | None, Query(description="Comma list of case ids.")] = None,
    member: Annotated[str | None, Query(description="Comma list of author ids.")] = None,
    api: bool | None = None,
    from_end_time: Annotated[str | None, Query(description="`Y-m-d H:i:s`")] = None,
    to_end_time: Annotated[str | None, Query(description="`Y-m-d H:i:s`")] = None,
) -> object:
    """List the project's results, newest first, filtered."""
    filters = ResultFilters.from_query(
        status=status,
        run=run,
        case_id=case_id,
        member=member,
        api=api,
        from_end_time=from_end_time,
        to_end_time=to_end_time,
    )
    listed = listing.list_results(session, ctx, filters, page, base_url=base_url)
    return json_response(Envelope(result=listed))


@router.post("/{code}/{id}", operation_id="create-result", response_model=Envelope[ResultRef])
def create_result(
    ctx: CanCreateResults, session: SessionDep, id: RunNumber, body: ResultCreate
) -> object:
    """Record a result of a case in the run."""
    stored = service.create_result(session, ctx, id, body)
    number = (
        read.case_numbers(session, [stored.case_id]).get(stored.case_id) if stored.case_id else None
    )
    return Envelope(result=ResultRef(case_id=number, hash=stored.hash))


@router.get("/{code}/{hash}", operation_id="get-result", response_model=Envelope[Result])
def get_result(
    ctx: CanReadResults, session: SessionDep, base_url: BaseUrl, hash: ResultHashPath
) -> object:
    """Get a result by its hash."""
    result = service.get_result(session, ctx.project.id, hash)
    return json_response(Envelope(result=read.describe(session, [result], base_url)[0]))


@router.post("/{code}/{id}/bulk", operation_id="create-result-bulk", response_model=StatusOnly)
def create_results(
    ctx: CanCreateResults,
    session: SessionDep,
    request: Request,
    id: RunNumber,
    body: ResultBulk,
) -> object:
    """Record many results in the run at once, all or nothing."""
    service.create_results(
        session, ctx, id, body.results, request.app.state.settings.result_bulk_max_items
    )
    return StatusOnly()


@router.patch(
    "/{code}/{id}/{hash}", operation_id="update-result", response_model=Envelope[ResultHash]
)
def update_result(
    ctx: CanUpdateResults,
    session: SessionDep,
    id: RunNumber,
    hash: ResultHashPath,
    body: ResultUpdate,
) -> object:
    """Update a result; the run case follows its newest result."""
    service.update_result(session, ctx, id, hash, body)
    return Envelope(result=ResultHash(hash=hash))


@router.delete(
    "/{code}/{id}/{hash}", operation_id="delete-result", response_model=Envelope[ResultHash]
)
def delete_result(
    ctx: CanDeleteResults, session: SessionDep, id: RunNumber, hash: ResultHashPath
) -> object:
    """Delete a result; the run case falls back to its newest remaining result."""
    service.delete_result(session, ctx, id, hash)
    return Envelope(result=ResultHash(hash=hash))
