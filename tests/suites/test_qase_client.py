"""The official `qase-api-client` (PyPI) drives every suite operation against a live server."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.suites_api import SuitesApi
from qase.api_client_v1.exceptions import (
    ForbiddenException,
    NotFoundException,
    UnprocessableEntityException,
)
from qase.api_client_v1.models.suite_create import SuiteCreate
from qase.api_client_v1.models.suite_delete import SuiteDelete
from qase.api_client_v1.models.suite_update import SuiteUpdate

from tests.acting import Acting
from tests.factories import make_project
from tests.live import LiveServer
from tests.suites.helpers import add_case, stored_cases


def test_create_get_list_update_delete(qase_for: Callable[..., object], api: httpx.Client) -> None:
    suites = SuitesApi(qase_for())
    code = make_project(api)

    root = suites.create_suite(code, SuiteCreate(title="Checkout", description="Paying"))
    assert root.status is True and root.result.id == 1
    child = suites.create_suite(
        code, SuiteCreate(title="Cards", preconditions="A card", parent_id=root.result.id)
    )

    got = suites.get_suite(code, child.result.id).result
    assert (got.id, got.title, got.preconditions, got.parent_id) == (2, "Cards", "A card", 1)
    assert (got.position, got.cases_count, got.description) == (1, 0, None)
    assert got.created_at is not None and got.updated_at is not None

    listed = suites.get_suites(code, search="card", limit=10, offset=0).result
    assert (listed.total, listed.filtered, listed.count) == (2, 1, 1)
    assert listed.entities[0].title == "Cards"

    updated = suites.update_suite(code, child.result.id, SuiteUpdate(title="Card payments"))
    assert updated.result.id == child.result.id
    assert suites.get_suite(code, child.result.id).result.title == "Card payments"

    suites.update_suite(code, child.result.id, SuiteUpdate(parent_id=None))
    assert suites.get_suite(code, child.result.id).result.parent_id is None

    deleted = suites.delete_suite(code, child.result.id)
    assert deleted.status is True and deleted.result.id == child.result.id
    with pytest.raises(NotFoundException):
        suites.get_suite(code, child.result.id)


def test_delete_moves_cases_to_the_destination(
    qase_for: Callable[..., object], api: httpx.Client, acting: Acting, server: LiveServer
) -> None:
    suites = SuitesApi(qase_for())
    code = make_project(api)
    source = suites.create_suite(code, SuiteCreate(title="Source")).result.id
    target = suites.create_suite(code, SuiteCreate(title="Target")).result.id
    case = add_case(acting, code, suite=source)

    suites.delete_suite(code, source, SuiteDelete(destination_id=target))

    assert suites.get_suite(code, target).result.cases_count == 1
    assert stored_cases(server, code)[case].suite == target


def test_cycle_and_bad_parent_are_422(qase_for: Callable[..., object], api: httpx.Client) -> None:
    suites = SuitesApi(qase_for())
    code = make_project(api)
    root = suites.create_suite(code, SuiteCreate(title="Root")).result.id
    child = suites.create_suite(code, SuiteCreate(title="Child", parent_id=root)).result.id
    with pytest.raises(UnprocessableEntityException):
        suites.update_suite(code, root, SuiteUpdate(parent_id=child))
    with pytest.raises(UnprocessableEntityException):
        suites.create_suite(code, SuiteCreate(title="Orphan", parent_id=404))


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    SuitesApi(qase_for()).create_suite(code, SuiteCreate(title="Mine"))
    viewer = SuitesApi(qase_for("viewer"))
    assert viewer.get_suites(code).result.total == 1
    with pytest.raises(ForbiddenException):
        viewer.create_suite(code, SuiteCreate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.update_suite(code, 1, SuiteUpdate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.delete_suite(code, 1)
