"""Shared step test helpers over HTTP; cases and reviews made in-process, and rows read under the
API.

Cases (their steps and parameters) and reviews belong to other resources: they are made by their
services in an `acting` unit of work, so these tests do not depend on those endpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.cases import service as cases
from testament.cases.schemas import CaseCreate
from testament.models.cases import Case, CaseParameter, CaseStep
from testament.models.reviews import Review
from testament.models.shared_parameters import SharedParameter
from testament.models.shared_steps import SharedStep, SharedStepItem
from testament.reviews import service as reviews
from testament.reviews import workflow
from testament.reviews.schemas import ReviewCreate
from tests.acting import Acting, project_id, under_the_api
from tests.live import LiveServer


def make_shared_step(api: httpx.Client, code: str, title: str = "Log in", **fields: Any) -> str:
    """Create a shared step (one step unless `steps` is given); answers its hash."""
    body = {"title": title, "steps": [{"action": "Open the login page"}], **fields}
    response = api.post(f"/v1/shared_step/{code}", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["result"]["hash"])


def get_shared_step(api: httpx.Client, code: str, shared_hash: str) -> dict[str, Any]:
    response = api.get(f"/v1/shared_step/{code}/{shared_hash}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def list_shared_steps(api: httpx.Client, code: str, **params: Any) -> dict[str, Any]:
    response = api.get(f"/v1/shared_step/{code}", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


@dataclass(frozen=True)
class StepRow:
    id: int
    parent_id: int | None
    position: int
    action: str
    shared: str | None  # the shared step's hash


def add_case(
    acting: Acting,
    code: str,
    steps: Sequence[dict[str, Any]] = (),
    *,
    parameters: Sequence[dict[str, Any]] = (),
    deleted: bool = False,
) -> int:
    """A case with `steps` (`{"shared": hash}` for a shared step) and `parameters` (`{"shared_id":
    uuid}` for a shared one), made by the case service, then deleted if asked; its number."""
    data = CaseCreate.model_validate(
        {"title": "A case", "steps": list(steps), "parameters": list(parameters)}
    )
    with acting(code) as (session, ctx):
        number = cases.create_case(session, ctx, data).number
        if deleted:
            cases.delete_case(session, ctx, number)
        return number


def _case(session: Session, code: str, number: int) -> Case:
    case = session.scalar(
        select(Case).where(Case.project_id == project_id(session, code), Case.number == number)
    )
    assert case is not None, number
    return case


def stored_steps(server: LiveServer, code: str, case: int) -> list[StepRow]:
    """The case's step rows, top level first, each level in position order."""
    with under_the_api(server) as session:
        rows = session.execute(
            select(CaseStep, SharedStep.hash)
            .outerjoin(SharedStep, SharedStep.id == CaseStep.shared_step_id)
            .where(CaseStep.case_id == _case(session, code, case).id)
            .order_by(CaseStep.parent_id.nulls_first(), CaseStep.position)
        ).all()
        return [StepRow(s.id, s.parent_id, s.position, s.action, h) for s, h in rows]


def case_revision(server: LiveServer, code: str, case: int) -> int:
    with under_the_api(server) as session:
        return _case(session, code, case).revision


def case_parameters(server: LiveServer, code: str, case: int) -> list[str | None]:
    """The case's parameters in order: the shared uuid, or None for an own one."""
    with under_the_api(server) as session:
        rows = session.execute(
            select(SharedParameter.uuid)
            .select_from(CaseParameter)
            .outerjoin(SharedParameter, SharedParameter.id == CaseParameter.shared_parameter_id)
            .where(CaseParameter.case_id == _case(session, code, case).id)
            .order_by(CaseParameter.position)
        ).scalars()
        return [str(u) if u is not None else None for u in rows]


def add_review(
    acting: Acting, code: str, proposed_case: dict[str, Any], *, merged: bool = False
) -> int:
    """A create review proposing `proposed_case`, made by the review service (and merged, if
    asked); answers its global id."""
    with acting(code) as (session, ctx):
        data = ReviewCreate.model_validate({"proposed_case": proposed_case})
        review = reviews.create_review(session, ctx, data)
        if merged:
            workflow.merge_review(session, ctx, review.number)
        return review.id


def stored_proposal(server: LiveServer, review_id: int) -> dict[str, Any]:
    """The proposal as stored (the API shows it expanded)."""
    with under_the_api(server) as session:
        review = session.get(Review, review_id)
        assert review is not None
        return dict(review.proposed_case)


def item_count(server: LiveServer, shared_hash: str) -> int:
    """The shared step's item rows left in the database."""
    with under_the_api(server) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(SharedStepItem)
                .join(SharedStep, SharedStep.id == SharedStepItem.shared_step_id)
                .where(SharedStep.hash == shared_hash)
            )
            or 0
        )
