"""Every v1 result operation through the official `qase-api-client`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qase.api_client_v1 import models
from qase.api_client_v1.api.cases_api import CasesApi
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.api.results_api import ResultsApi
from qase.api_client_v1.api.runs_api import RunsApi
from qase.api_client_v1.exceptions import NotFoundException

from tests.factories import unique_code


def test_round_trip(qase_for: Callable[..., object]) -> None:
    client = qase_for()
    code = unique_code()
    ProjectsApi(client).create_project(models.ProjectCreate(title="Results", code=code))
    cases = CasesApi(client)
    first = cases.create_case(code, models.TestCaseCreate(title="One")).result.id
    second = cases.create_case(code, models.TestCaseCreate(title="Two")).result.id
    run = (
        RunsApi(client)
        .create_run(code, models.RunCreate(title="CI", cases=[first, second]))
        .result.id
    )
    results = ResultsApi(client)

    created = results.create_result(
        code,
        run,
        models.ResultCreate(
            case_id=first,
            status="failed",
            time_ms=1200,
            comment="broken",
            steps=[models.TestStepResultCreate(status="passed", action="Open")],
        ),
    )
    result_hash = created.result.hash
    got = results.get_result(code, result_hash).result
    assert got.status == "failed" and got.case_id == first and got.time_spent_ms == 1200
    assert got.steps[0].status == 1

    bulk = results.create_result_bulk(
        code,
        run,
        models.ResultCreateBulk(
            results=[
                models.ResultCreate(case_id=second, status="passed"),
            ]
        ),
    )
    assert bulk.status is True
    listed = results.get_results(code, run=str(run), status="passed")
    assert [r.case_id for r in listed.result.entities] == [second]

    assert (
        results.update_result(
            code, run, result_hash, models.ResultUpdate(status="passed")
        ).result.hash
        == result_hash
    )
    stats = RunsApi(client).get_run(code, run).result.stats
    assert stats.total == 2 and stats.statuses == {"passed": 2}

    assert results.delete_result(code, run, result_hash).result.hash == result_hash
    with pytest.raises(NotFoundException):
        results.get_result(code, result_hash)
