"""The official `qase-api-client` (PyPI) drives shared steps against a live server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.api.shared_steps_api import SharedStepsApi
from qase.api_client_v1.exceptions import ApiException, ForbiddenException, NotFoundException
from qase.api_client_v1.models.project_create import ProjectCreate
from qase.api_client_v1.models.shared_step_content_create import SharedStepContentCreate
from qase.api_client_v1.models.shared_step_create import SharedStepCreate
from qase.api_client_v1.models.shared_step_update import SharedStepUpdate

from tests.factories import unique_code


def _project(qase_for: Callable[..., object]) -> str:
    code = unique_code()
    ProjectsApi(qase_for()).create_project(ProjectCreate(title="Shared steps", code=code))
    return code


def test_create_get_list_update_delete(qase_for: Callable[..., object]) -> None:
    code = _project(qase_for)
    shared = SharedStepsApi(qase_for())
    steps = [
        SharedStepContentCreate(action="Open", expected_result="Opened", data="url"),
        SharedStepContentCreate(action="Close", steps=[{"action": "Confirm"}]),
    ]
    created = shared.create_shared_step(code, SharedStepCreate(title="Session", steps=steps))
    assert created.status is True
    shared_hash = created.result.hash

    got = shared.get_shared_step(code, shared_hash).result
    assert got.hash == shared_hash and got.title == "Session"
    assert [s.action for s in got.steps] == ["Open", "Close"]
    assert got.steps[0].expected_result == "Opened" and got.steps[0].data == "url"
    assert got.steps[1].steps[0]["action"] == "Confirm"
    assert got.action == "Open" and got.cases == [] and got.cases_count == 0
    assert got.created_at is not None and got.created is not None

    listed = shared.get_shared_steps(code, search="sess", limit=10, offset=0).result
    assert listed.total == listed.filtered == listed.count == 1
    assert listed.entities[0].hash == shared_hash

    updated = shared.update_shared_step(
        code,
        shared_hash,
        SharedStepUpdate(title="Renamed", steps=[SharedStepContentCreate(action="Only")]),
    )
    assert updated.result.hash == shared_hash
    again = shared.get_shared_step(code, shared_hash).result
    assert again.title == "Renamed" and [s.action for s in again.steps] == ["Only"]

    deleted = shared.delete_shared_step(code, shared_hash)
    assert deleted.status is True and deleted.result.hash == shared_hash
    with pytest.raises(NotFoundException):
        shared.get_shared_step(code, shared_hash)


def test_deprecated_single_step_body(qase_for: Callable[..., object]) -> None:
    code = _project(qase_for)
    shared = SharedStepsApi(qase_for())
    body = SharedStepCreate(title="Legacy", action="Do", expected_result="Done", data="d")
    shared_hash = shared.create_shared_step(code, body).result.hash
    got = shared.get_shared_step(code, shared_hash).result
    assert (got.action, got.expected_result, got.data) == ("Do", "Done", "d")


def test_errors_surface_as_api_exceptions(qase_for: Callable[..., object]) -> None:
    code = _project(qase_for)
    with pytest.raises(ApiException) as raised:
        SharedStepsApi(qase_for()).create_shared_step(code, SharedStepCreate(title="No steps"))
    assert raised.value.status == 422
    with pytest.raises(ForbiddenException):
        SharedStepsApi(qase_for("viewer")).create_shared_step(
            code, SharedStepCreate(title="x", steps=[SharedStepContentCreate(action="a")])
        )
