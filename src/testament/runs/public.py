"""The read-only report of a public run, served without a token while the run is public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from testament.http.deps import SessionDep
from testament.http.responses import json_response
from testament.kit.envelope import Envelope
from testament.kit.errors import NotFound
from testament.models.project import Project
from testament.models.runs import Run
from testament.runs import read

router = APIRouter(tags=["public"])


@router.get("/public/run/{public_hash}", include_in_schema=False)
def public_run(session: SessionDep, public_hash: Annotated[str, Path(max_length=64)]) -> object:
    """The run with its stats and cases; 404 once the run is private again."""
    row = session.execute(
        select(Run, Project.code, Project.title)
        .join(Project, Project.id == Run.project_id)
        .where(Run.public_hash == public_hash, Run.is_public.is_(True))
    ).first()
    if row is None:
        raise NotFound("No public run at this address.")
    run, code, title = row
    described = read.describe(session, [run], include_cases=True)[0]
    return json_response(
        Envelope(result={"project": {"code": code, "title": title}, "run": described})
    )
