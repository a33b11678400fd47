"""`/v2/{project_code}/run/{run_id}/result(s)` routes: what the official reporters send."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from testament.access.deps import ProjectContext, project_access_v2
from testament.db import SessionDep
from testament.kit.envelope import Envelope, StatusOnly, json_response
from testament.kit.repository import NUMBER_MAX
from testament.results import ingest, read, service_v2
from testament.results.schemas_v2 import CreatedV2, ResultCreateV2, ResultsCreateV2
from testament.runs.service import get_run

router = APIRouter(tags=["results"])

CanCreateResults = Annotated[ProjectContext, Depends(project_access_v2("result.create"))]
RunNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Run id within the project.")]
ACCEPTED = 202


@router.post(
    "/{project_code}/run/{run_id}/result",
    operation_id="create-result-v2",
    status_code=ACCEPTED,
    response_model=Envelope[CreatedV2],
)
def create_result(
    ctx: CanCreateResults,
    session: SessionDep,
    request: Request,
    run_id: RunNumber,
    body: ResultCreateV2,
) -> object:
    """Record one result (its `id`, when given, makes a resend harmless)."""
    run = get_run(session, ctx.project.id, run_id)
    ingest.require_open_run(run)
    limit = request.app.state.settings.result_bulk_max_items
    stored = ingest.store(session, ctx, run, service_v2.to_inputs(session, ctx, [body], limit))[0]
    number = (
        read.case_numbers(session, [stored.case_id]).get(stored.case_id) if stored.case_id else None
    )
    response = json_response(Envelope(result=CreatedV2(case_id=number, hash=stored.hash)))
    response.status_code = ACCEPTED
    return response


@router.post(
    "/{project_code}/run/{run_id}/results",
    operation_id="create-results-v2",
    status_code=ACCEPTED,
    response_model=StatusOnly,
)
def create_results(
    ctx: CanCreateResults,
    session: SessionDep,
    request: Request,
    run_id: RunNumber,
    body: ResultsCreateV2,
) -> object:
    """Record a batch of results, all or nothing; results already stored under their `id` are
    not stored again."""
    run = get_run(session, ctx.project.id, run_id)
    ingest.require_open_run(run)
    limit = request.app.state.settings.result_bulk_max_items
    ingest.store(session, ctx, run, service_v2.to_inputs(session, ctx, body.results, limit))
    response = json_response(StatusOnly())
    response.status_code = ACCEPTED
    return response
