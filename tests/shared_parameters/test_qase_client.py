"""The official `qase-api-client` (PyPI) drives shared parameters against a live server."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import pytest
from qase.api_client_v1.api.projects_api import ProjectsApi
from qase.api_client_v1.api.shared_parameters_api import SharedParametersApi
from qase.api_client_v1.exceptions import ApiException, ForbiddenException, NotFoundException
from qase.api_client_v1.models.parameter_single import ParameterSingle
from qase.api_client_v1.models.project_create import ProjectCreate
from qase.api_client_v1.models.shared_parameter_create import SharedParameterCreate
from qase.api_client_v1.models.shared_parameter_parameter import SharedParameterParameter
from qase.api_client_v1.models.shared_parameter_update import SharedParameterUpdate

from tests.factories import unique_code


def _values(*parameters: tuple[str, list[str]]) -> SharedParameterParameter:
    return SharedParameterParameter([ParameterSingle(title=t, values=v) for t, v in parameters])


def test_create_get_list_update_delete(qase_for: Callable[..., object]) -> None:
    code = unique_code()
    ProjectsApi(qase_for()).create_project(ProjectCreate(title="Params", code=code))
    shared = SharedParametersApi(qase_for())
    title = f"Accounts {unique_code()}"
    created = shared.create_shared_parameter(
        SharedParameterCreate(
            title=title,
            type="group",
            project_codes=[code],
            is_enabled_for_all_projects=False,
            parameters=_values(("Login", ["alice", "bob"]), ("Password", ["a", "b"])),
        )
    )
    assert created.status is True
    parameter_id = created.result.id
    assert isinstance(parameter_id, UUID)

    got = shared.get_shared_parameter(str(parameter_id)).result
    assert (got.id, got.title, got.type) == (parameter_id, title, "group")
    assert got.project_codes == [code] and got.is_enabled_for_all_projects is False
    assert [(p.title, p.values) for p in got.parameters.actual_instance] == [
        ("Login", ["alice", "bob"]),
        ("Password", ["a", "b"]),
    ]

    listed = shared.get_shared_parameters(
        limit=10, offset=0, filters_search=title, filters_type="group", filters_project_codes=[code]
    ).result
    assert listed.total >= 1 and [p.id for p in listed.entities] == [parameter_id]

    shared.update_shared_parameter(
        str(parameter_id),
        SharedParameterUpdate(
            title="Renamed",
            is_enabled_for_all_projects=True,
            parameters=_values(("Login", ["carol"]), ("Password", ["c"])),
        ),
    )
    again = shared.get_shared_parameter(str(parameter_id)).result
    assert again.title == "Renamed" and again.is_enabled_for_all_projects is True
    assert [p.values for p in again.parameters.actual_instance] == [["carol"], ["c"]]

    deleted = shared.delete_shared_parameter(str(parameter_id))
    assert deleted.status is True and deleted.result.id == parameter_id
    with pytest.raises(NotFoundException):
        shared.get_shared_parameter(str(parameter_id))


def test_single_parameter_round_trips(qase_for: Callable[..., object]) -> None:
    shared = SharedParametersApi(qase_for())
    body = SharedParameterCreate(
        title="Browsers",
        type="single",
        is_enabled_for_all_projects=True,
        parameters=_values(("Browser", ["Chrome", "Firefox"])),
    )
    parameter_id = shared.create_shared_parameter(body).result.id
    got = shared.get_shared_parameter(str(parameter_id)).result
    assert got.type == "single" and got.project_codes == []
    assert [(p.title, p.values) for p in got.parameters.actual_instance] == [
        ("Browser", ["Chrome", "Firefox"])
    ]


def test_errors_surface_as_api_exceptions(qase_for: Callable[..., object]) -> None:
    body = SharedParameterCreate(
        title="Nowhere",
        type="single",
        project_codes=["NOSUCHPROJ"],
        is_enabled_for_all_projects=False,
        parameters=_values(("Browser", ["Chrome"])),
    )
    with pytest.raises(ApiException) as raised:
        SharedParametersApi(qase_for()).create_shared_parameter(body)
    assert raised.value.status == 422
    with pytest.raises(ForbiddenException):
        SharedParametersApi(qase_for("viewer")).create_shared_parameter(body)
