"""The official `qase-api-client` (PyPI) drives projects against a live server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.exceptions import ApiException, NotFoundException, UnauthorizedException
from qase.api_client_v1.models.project_create import ProjectCreate

from tests.factories import unique_code
from tests.live import LiveServer
from tests.qase_client import validating_client


def test_create_list_get_delete(qase_for: Callable[..., object]) -> None:
    projects = ProjectsApi(qase_for())
    code = unique_code()

    created = projects.create_project(ProjectCreate(title="Checkout", code=code, access="all"))
    assert created.status is True and created.result.code == code

    got = projects.get_project(code)
    assert got.result.title == "Checkout" and got.result.code == code
    assert got.result.counts.cases == 0 and got.result.counts.runs.active == 0

    listed = projects.get_projects(limit=100)
    assert listed.result.total >= 1
    assert listed.result.count == len(listed.result.entities)

    seen: set[str] = set()
    offset = 0
    while offset < listed.result.total:
        page = projects.get_projects(limit=100, offset=offset)
        seen |= {p.code for p in page.result.entities}
        offset += 100
    assert code in seen

    deleted = projects.delete_project(code)
    assert deleted.status is True
    with pytest.raises(NotFoundException):
        projects.get_project(code)


def test_wrong_token_is_401(server: LiveServer) -> None:
    projects = ProjectsApi(validating_client(server.url, "tmt_not-a-real-token"))
    with pytest.raises(UnauthorizedException):
        projects.get_projects()


def test_duplicate_code_is_an_api_error(qase_for: Callable[..., object]) -> None:
    projects = ProjectsApi(qase_for())
    code = unique_code()
    projects.create_project(ProjectCreate(title="One", code=code))
    with pytest.raises(ApiException) as raised:
        projects.create_project(ProjectCreate(title="Two", code=code))
    assert raised.value.status == 422
