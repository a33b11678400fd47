"""Every run operation through the official `qase-api-client`, as the reporters call them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qase.api_client_v1 import models
from qase.api_client_v1.api.cases_api import CasesApi
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.api.runs_api import RunsApi
from qase.api_client_v1.exceptions import NotFoundException

from tests.factories import unique_code


def test_reporter_call_order(qase_for: Callable[..., object]) -> None:
    client = qase_for()
    code = unique_code()
    ProjectsApi(client).create_project(models.ProjectCreate(title="Runs", code=code))
    case_id = CasesApi(client).create_case(code, models.TestCaseCreate(title="Login")).result.id
    runs = RunsApi(client)

    created = runs.create_run(
        code,
        models.RunCreate(
            title="Automated Run",
            description="from CI",
            is_autotest=True,
            tags=["ci"],
            cases=[case_id],
            start_time="2026-11-22 17:08:56",
        ),
    )
    number = created.result.id
    run = runs.get_run(code, number, include="cases").result
    assert run.id == number and run.title == "Automated Run" and run.cases == [case_id]
    assert run.status == 0 and run.stats.total == 1

    listed = runs.get_runs(code, status="in_progress", limit=10)
    assert [r.id for r in listed.result.entities] == [number]

    assert runs.update_run(code, number, models.Runupdate(title="Renamed")).status is True
    assert runs.complete_run(code, number).status is True
    assert runs.get_run(code, number).result.status == 1
    assert runs.complete_run(code, number).status is True, "completing twice is fine"

    public = runs.update_run_publicity(code, number, models.RunPublic(status=True))
    assert public.result.url.startswith("http")

    assert runs.delete_run(code, number).result.id == number
    with pytest.raises(NotFoundException):
        runs.get_run(code, number)
