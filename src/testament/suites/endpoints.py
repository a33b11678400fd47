"""`/v1/suite` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query

from testament.access.context import ProjectContext
from testament.http.deps import Page, SessionDep, project_access
from testament.kit.envelope import Envelope, ListResult
from testament.suites import listing, service
from testament.suites.filters import SuiteFilters
from testament.suites.schemas import Suite, SuiteCreate, SuiteDelete, SuiteId, SuiteUpdate

router = APIRouter(prefix="/suite", tags=["suites"])

CanRead = Annotated[ProjectContext, Depends(project_access("suite.read"))]
CanCreate = Annotated[ProjectContext, Depends(project_access("suite.create"))]
CanUpdate = Annotated[ProjectContext, Depends(project_access("suite.update"))]
CanDelete = Annotated[ProjectContext, Depends(project_access("suite.delete"))]
SuiteNumber = Annotated[int, Path(ge=1, description="Identifier.")]


@router.get("/{code}", operation_id="get-suites", response_model=Envelope[ListResult[Suite]])
def get_suites(
    ctx: CanRead,
    session: SessionDep,
    page: Page,
    search: Annotated[
        str | None, Query(description="Provide a string that will be used to search by name.")
    ] = None,
) -> object:
    """List the project's suites, optionally searched by title."""
    filters = SuiteFilters.from_query(search=search)
    return Envelope(result=listing.list_suites(session, ctx, filters, page))


@router.post("/{code}", operation_id="create-suite", response_model=Envelope[SuiteId])
def create_suite(ctx: CanCreate, session: SessionDep, body: SuiteCreate) -> object:
    """Create a suite, at the root or under `parent_id`; answers its id."""
    suite = service.create_suite(session, ctx, body)
    return Envelope(result=SuiteId(id=suite.number))


@router.get("/{code}/{id}", operation_id="get-suite", response_model=Envelope[Suite])
def get_suite(ctx: CanRead, session: SessionDep, id: SuiteNumber) -> object:
    """Get a suite by id."""
    return Envelope(result=service.describe(session, [service.get_suite(session, ctx, id)])[0])


@router.patch("/{code}/{id}", operation_id="update-suite", response_model=Envelope[SuiteId])
def update_suite(ctx: CanUpdate, session: SessionDep, id: SuiteNumber, body: SuiteUpdate) -> object:
    """Update the fields sent; `parent_id` moves the suite."""
    suite = service.update_suite(session, ctx, id, body)
    return Envelope(result=SuiteId(id=suite.number))


@router.delete("/{code}/{id}", operation_id="delete-suite", response_model=Envelope[SuiteId])
def delete_suite(
    ctx: CanDelete,
    session: SessionDep,
    id: SuiteNumber,
    body: Annotated[SuiteDelete | None, Body()] = None,
) -> object:
    """Delete a suite and its nested suites; their cases move to `destination_id` or go too."""
    service.delete_suite(session, ctx, id, body or SuiteDelete())
    return Envelope(result=SuiteId(id=id))
