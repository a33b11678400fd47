"""The official `qase-api-client` (PyPI) drives every environment operation against a live server."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.environments_api import EnvironmentsApi
from qase.api_client_v1.exceptions import (
    ForbiddenException,
    NotFoundException,
    UnprocessableEntityException,
)
from qase.api_client_v1.models.environment_create import EnvironmentCreate
from qase.api_client_v1.models.environment_update import EnvironmentUpdate

from tests.factories import make_project


def test_create_get_list_update_delete(qase_for: Callable[..., object], api: httpx.Client) -> None:
    environments = EnvironmentsApi(qase_for())
    code = make_project(api)

    created = environments.create_environment(
        code,
        EnvironmentCreate(title="Staging", slug="staging", description="Pre", host="https://s"),
    )
    assert created.status is True and created.result.id == 1
    environments.create_environment(code, EnvironmentCreate(title="Production", slug="prod"))

    got = environments.get_environment(code, 1).result
    assert (got.id, got.title, got.slug, got.description, got.host) == (
        1,
        "Staging",
        "staging",
        "Pre",
        "https://s",
    )

    listed = environments.get_environments(code, search="prod", limit=10, offset=0).result
    assert (listed.total, listed.filtered, listed.count) == (2, 1, 1)
    assert listed.entities[0].slug == "prod" and listed.entities[0].host is None
    by_slug = environments.get_environments(code, slug="staging").result
    assert [e.id for e in by_slug.entities] == [1]

    updated = environments.update_environment(code, 1, EnvironmentUpdate(title="Stage", host="h"))
    assert updated.result.id == 1
    got = environments.get_environment(code, 1).result
    assert (got.title, got.host, got.slug) == ("Stage", "h", "staging")

    deleted = environments.delete_environment(code, 1)
    assert deleted.status is True and deleted.result.id == 1
    with pytest.raises(NotFoundException):
        environments.get_environment(code, 1)


def test_duplicate_slug_is_422(qase_for: Callable[..., object], api: httpx.Client) -> None:
    environments = EnvironmentsApi(qase_for())
    code = make_project(api)
    environments.create_environment(code, EnvironmentCreate(title="A", slug="same"))
    with pytest.raises(UnprocessableEntityException):
        environments.create_environment(code, EnvironmentCreate(title="B", slug="same"))
    environments.create_environment(code, EnvironmentCreate(title="C", slug="other"))
    with pytest.raises(UnprocessableEntityException):
        environments.update_environment(code, 2, EnvironmentUpdate(slug="same"))


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    EnvironmentsApi(qase_for()).create_environment(code, EnvironmentCreate(title="A", slug="a"))
    viewer = EnvironmentsApi(qase_for("viewer"))
    assert viewer.get_environments(code).result.total == 1
    assert viewer.get_environment(code, 1).result.slug == "a"
    with pytest.raises(ForbiddenException):
        viewer.create_environment(code, EnvironmentCreate(title="B", slug="b"))
    with pytest.raises(ForbiddenException):
        viewer.update_environment(code, 1, EnvironmentUpdate(title="B"))
    with pytest.raises(ForbiddenException):
        viewer.delete_environment(code, 1)
