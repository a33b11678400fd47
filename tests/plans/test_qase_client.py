"""The official `qase-api-client` (PyPI) drives every plan operation against a live server."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.plans_api import PlansApi
from qase.api_client_v1.exceptions import (
    ForbiddenException,
    NotFoundException,
    UnprocessableEntityException,
)
from qase.api_client_v1.models.plan_create import PlanCreate
from qase.api_client_v1.models.plan_update import PlanUpdate

from tests.acting import Acting
from tests.factories import make_project
from tests.plans.helpers import add_results, make_cases


def test_create_get_list_update_delete(
    qase_for: Callable[..., object], api: httpx.Client, acting: Acting
) -> None:
    plans = PlansApi(qase_for())
    code = make_project(api)
    make_cases(api, code, 3)

    created = plans.create_plan(code, PlanCreate(title="Smoke", description="Quick", cases=[2, 1]))
    assert created.status is True and created.result.id == 1
    add_results(acting, code, {1: [1500], 2: [2500]})

    got = plans.get_plan(code, 1).result
    assert (got.id, got.title, got.description, got.cases_count) == (1, "Smoke", "Quick", 2)
    assert [(c.case_id, c.assignee_id) for c in got.cases] == [(2, None), (1, None)]
    assert got.average_time == 2000
    assert got.created_at is not None and got.updated_at is not None
    assert got.created is not None and got.updated is not None

    plans.create_plan(code, PlanCreate(title="Regression", cases=[1, 2, 3]))
    listed = plans.get_plans(code, limit=1, offset=1).result
    assert (listed.total, listed.filtered, listed.count) == (2, 2, 1)
    assert (listed.entities[0].title, listed.entities[0].cases_count) == ("Regression", 3)

    updated = plans.update_plan(code, 1, PlanUpdate(title="Sanity", cases=[3]))
    assert updated.result.id == 1
    got = plans.get_plan(code, 1).result
    assert (got.title, got.description, [c.case_id for c in got.cases]) == ("Sanity", "Quick", [3])
    assert got.average_time == 0

    plans.update_plan(code, 1, PlanUpdate(description=None))
    assert plans.get_plan(code, 1).result.description is None

    deleted = plans.delete_plan(code, 1)
    assert deleted.status is True and deleted.result.id == 1
    with pytest.raises(NotFoundException):
        plans.get_plan(code, 1)


def test_unknown_case_is_422(qase_for: Callable[..., object], api: httpx.Client) -> None:
    plans = PlansApi(qase_for())
    code = make_project(api)
    make_cases(api, code, 1)
    with pytest.raises(UnprocessableEntityException):
        plans.create_plan(code, PlanCreate(title="Bad", cases=[1, 404]))
    plans.create_plan(code, PlanCreate(title="Good", cases=[1]))
    with pytest.raises(UnprocessableEntityException):
        plans.update_plan(code, 1, PlanUpdate(cases=[404]))


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    make_cases(api, code, 1)
    PlansApi(qase_for()).create_plan(code, PlanCreate(title="Mine", cases=[1]))
    viewer = PlansApi(qase_for("viewer"))
    assert viewer.get_plans(code).result.total == 1
    assert viewer.get_plan(code, 1).result.title == "Mine"
    with pytest.raises(ForbiddenException):
        viewer.create_plan(code, PlanCreate(title="Theirs", cases=[1]))
    with pytest.raises(ForbiddenException):
        viewer.update_plan(code, 1, PlanUpdate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.delete_plan(code, 1)
