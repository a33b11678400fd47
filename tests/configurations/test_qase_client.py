"""The official `qase-api-client` (PyPI) drives every configuration operation, the way the
reporters' `createIfNotExists` does: list, then create the missing group and configuration."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.configurations_api import ConfigurationsApi
from qase.api_client_v1.exceptions import ForbiddenException, UnprocessableEntityException
from qase.api_client_v1.models.configuration_create import ConfigurationCreate
from qase.api_client_v1.models.configuration_group_create import ConfigurationGroupCreate

from tests.factories import make_project


def test_create_groups_and_configurations_then_list(
    qase_for: Callable[..., object], api: httpx.Client
) -> None:
    configurations = ConfigurationsApi(qase_for())
    code = make_project(api)

    assert configurations.get_configurations(code).result.total == 0
    group = configurations.create_configuration_group(code, ConfigurationGroupCreate(title="OS"))
    assert group.status is True and group.result.id == 1
    created = configurations.create_configuration(
        code, ConfigurationCreate(title="Linux", group_id=group.result.id)
    )
    assert created.status is True and created.result.id == 1
    configurations.create_configuration(code, ConfigurationCreate(title="macOS", group_id=1))

    listed = configurations.get_configurations(code).result
    assert (listed.total, listed.filtered, listed.count) == (1, 1, 1)
    only = listed.entities[0]
    assert (only.id, only.title) == (1, "OS")
    assert [(c.id, c.title) for c in only.configurations] == [(1, "Linux"), (2, "macOS")]


def test_create_if_not_exists_flow(qase_for: Callable[..., object], api: httpx.Client) -> None:
    configurations = ConfigurationsApi(qase_for())
    code = make_project(api)
    configurations.create_configuration_group(code, ConfigurationGroupCreate(title="Browser"))
    wanted = {"Browser": "Firefox", "OS": "Linux"}
    ids = []
    for group_title, title in wanted.items():
        groups = {g.title: g for g in configurations.get_configurations(code).result.entities}
        group = groups.get(group_title)
        if group is None:
            group_id = configurations.create_configuration_group(
                code, ConfigurationGroupCreate(title=group_title)
            ).result.id
        else:
            group_id = group.id
        request = ConfigurationCreate(title=title, group_id=group_id)
        ids.append(configurations.create_configuration(code, request).result.id)
    assert ids == [1, 2]
    listed = configurations.get_configurations(code).result.entities
    assert {g.title: [c.title for c in g.configurations] for g in listed} == {
        "Browser": ["Firefox"],
        "OS": ["Linux"],
    }


def test_duplicates_and_unknown_groups_are_422(
    qase_for: Callable[..., object], api: httpx.Client
) -> None:
    configurations = ConfigurationsApi(qase_for())
    code = make_project(api)
    configurations.create_configuration_group(code, ConfigurationGroupCreate(title="OS"))
    with pytest.raises(UnprocessableEntityException):
        configurations.create_configuration_group(code, ConfigurationGroupCreate(title="OS"))
    with pytest.raises(UnprocessableEntityException):
        configurations.create_configuration(code, ConfigurationCreate(title="x", group_id=9))


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    ConfigurationsApi(qase_for()).create_configuration_group(
        code, ConfigurationGroupCreate(title="OS")
    )
    viewer = ConfigurationsApi(qase_for("viewer"))
    assert viewer.get_configurations(code).result.total == 1
    with pytest.raises(ForbiddenException):
        viewer.create_configuration_group(code, ConfigurationGroupCreate(title="Browser"))
    with pytest.raises(ForbiddenException):
        viewer.create_configuration(code, ConfigurationCreate(title="x", group_id=1))
