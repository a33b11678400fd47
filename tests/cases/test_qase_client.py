"""Every case operation through the official `qase-api-client`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qase.api_client_v1 import models
from qase.api_client_v1.api.cases_api import CasesApi
from qase.api_client_v1.exceptions import ApiException, NotFoundException

from tests.factories import unique_code

# The client's model classes are named Test*; aliases keep pytest from collecting them.
CaseCreate = models.TestCaseCreate
CaseUpdate = models.TestCaseUpdate
CaseBulk = models.TestCasebulk
BulkItem = models.TestCasebulkCasesInner
StepCreate = models.TestStepCreate
ExternalIssues = models.TestCaseExternalIssues
ExternalIssueLink = models.TestCaseExternalIssuesLinksInner


@pytest.fixture
def cases_api(qase_for: Callable[..., object]) -> tuple[CasesApi, str]:
    from qase.api_client_v1.api.projects_api import ProjectsApi
    from qase.api_client_v1.models.project_create import ProjectCreate

    client = qase_for()
    code = unique_code()
    ProjectsApi(client).create_project(ProjectCreate(title="Cases", code=code))
    return CasesApi(client), code


def test_round_trip(cases_api: tuple[CasesApi, str]) -> None:
    api, code = cases_api
    created = api.create_case(
        code,
        CaseCreate(
            title="Sign up",
            severity=2,
            priority=1,
            is_manual=False,
            tags=["auth"],
            steps=[StepCreate(action="Open form", expected_result="Form shown")],
            parameters=[
                models.TestCaseParameterCreate(
                    models.ParameterSingle(title="browser", values=["chrome"])
                )
            ],
        ),
    )
    number = created.result.id
    case = api.get_case(code, number).result
    assert case.title == "Sign up" and case.severity == 2 and case.automation == 2
    assert case.is_manual is False and case.steps[0].action == "Open form"
    assert case.tags[0].title == "auth"
    assert case.parameters[0].actual_instance.item.values == ["chrome"]

    api.update_case(code, number, CaseUpdate(title="Sign up (v2)", is_manual=True))
    updated = api.get_case(code, number).result
    assert updated.title == "Sign up (v2)" and updated.is_manual is True

    listed = api.get_cases(code, search="v2", limit=10)
    assert [c.id for c in listed.result.entities] == [number]
    assert api.get_cases(code, severity="critical").result.filtered == 1

    issues = ExternalIssues(
        type="jira-cloud",
        links=[ExternalIssueLink(case_id=number, external_issues=["AUTH-1"])],
    )
    assert api.case_attach_external_issue(code, issues).status is True
    assert (
        api.get_case(code, number, include="external_issues").result.external_issues[0].issues[0].id
        == "AUTH-1"
    )
    assert api.case_detach_external_issue(code, issues).status is True

    assert api.delete_case(code, number).result.id == number
    with pytest.raises(NotFoundException):
        api.get_case(code, number)


def test_bulk(cases_api: tuple[CasesApi, str]) -> None:
    api, code = cases_api
    result = api.bulk(
        code,
        CaseBulk(
            cases=[
                BulkItem(title="A"),
                BulkItem(title="B", severity=3),
            ]
        ),
    )
    assert result.result.ids == [1, 2]
    assert api.get_cases(code).result.total == 2


def test_invalid_case_is_an_api_error(cases_api: tuple[CasesApi, str]) -> None:
    api, code = cases_api
    with pytest.raises(ApiException) as raised:
        api.create_case(code, CaseCreate(title="x", suite_id=12345))
    assert raised.value.status == 422
