"""`/v2/{project_code}/run/{run_id}/result(s)` routes: what the official reporters send."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from testament.access.context import ProjectContext
from testament.http.bodies import ResultBodyRoute
from testament.http.deps import SessionDep, project_access
from testament.http.openapi import documented_body
from testament.http.responses import json_response
from testament.kit.envelope import Envelope, StatusOnly
from testament.kit.repository import NUMBER_MAX
from testament.results import ingest, read, reporter_ingestion
from testament.results.schemas_v2 import CreatedV2, ResultCreateV2, ResultsCreateV2
from testament.runs.service import get_run

M = TypeVar("M", bound=BaseModel)

# Results are never lost for a lone surrogate in their text: see `http.bodies`.
router = APIRouter(tags=["results"], route_class=ResultBodyRoute)


def _parse(model: type[M], raw: bytes) -> M:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


async def one_result(request: Request) -> ResultCreateV2:
    """The body parsed straight from its bytes by pydantic-core (the reporters' hot path)."""
    return _parse(ResultCreateV2, await request.body())


async def result_batch(request: Request) -> ResultsCreateV2:
    return _parse(ResultsCreateV2, await request.body())


CanCreateResults = Annotated[
    ProjectContext, Depends(project_access("result.create", path_name="project_code"))
]
RunNumber = Annotated[int, Path(ge=1, le=NUMBER_MAX, description="Run id within the project.")]
ACCEPTED = 202


@router.post(
    "/{project_code}/run/{run_id}/result",
    operation_id="create-result-v2",
    status_code=ACCEPTED,
    response_model=Envelope[CreatedV2],
    openapi_extra=documented_body(ResultCreateV2),
)
def create_result(
    ctx: CanCreateResults,
    session: SessionDep,
    request: Request,
    run_id: RunNumber,
    body: Annotated[ResultCreateV2, Depends(one_result)],
) -> object:
    """Record one result (its `id`, when given, makes a resend harmless)."""
    run = get_run(session, ctx.project.id, run_id)
    ingest.require_open_run(run)
    limit = request.app.state.settings.result_bulk_max_items
    stored = ingest.store(
        session, ctx, run, reporter_ingestion.to_inputs(session, ctx, [body], limit)
    )[0]
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
    openapi_extra=documented_body(ResultsCreateV2),
)
def create_results(
    ctx: CanCreateResults,
    session: SessionDep,
    request: Request,
    run_id: RunNumber,
    body: Annotated[ResultsCreateV2, Depends(result_batch)],
) -> object:
    """Record a batch of results, all or nothing; results already stored under their `id` are
    not stored again."""
    run = get_run(session, ctx.project.id, run_id)
    ingest.require_open_run(run)
    limit = request.app.state.settings.result_bulk_max_items
    ingest.store(session, ctx, run, reporter_ingestion.to_inputs(session, ctx, body.results, limit))
    response = json_response(StatusOnly())
    response.status_code = ACCEPTED
    return response
