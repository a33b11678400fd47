"""The official `qase-api-client` (PyPI) drives every milestone operation against a live server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from qase.api_client_v1.api.milestones_api import MilestonesApi
from qase.api_client_v1.exceptions import ForbiddenException, NotFoundException
from qase.api_client_v1.models.milestone_create import MilestoneCreate
from qase.api_client_v1.models.milestone_update import MilestoneUpdate

from tests.factories import make_project


def test_create_get_list_update_delete(qase_for: Callable[..., object], api: httpx.Client) -> None:
    milestones = MilestonesApi(qase_for())
    code = make_project(api)

    created = milestones.create_milestone(
        code, MilestoneCreate(title="v2.0", description="Big", status="active", due_date=1640892239)
    )
    assert created.status is True and created.result.id == 1
    milestones.create_milestone(code, MilestoneCreate(title="Hotfix"))

    got = milestones.get_milestone(code, 1).result
    assert (got.id, got.title, got.description, got.status) == (1, "v2.0", "Big", "active")
    assert got.due_date == datetime(2021, 12, 30, 19, 23, 59, tzinfo=UTC)
    assert got.created_at is not None and got.updated_at is not None

    listed = milestones.get_milestones(code, search="hot", limit=10, offset=0).result
    assert (listed.total, listed.filtered, listed.count) == (2, 1, 1)
    assert listed.entities[0].title == "Hotfix" and listed.entities[0].due_date is None

    updated = milestones.update_milestone(code, 1, MilestoneUpdate(status="completed"))
    assert updated.result.id == 1
    assert milestones.get_milestone(code, 1).result.status == "completed"

    deleted = milestones.delete_milestone(code, 1)
    assert deleted.status is True and deleted.result.id == 1
    with pytest.raises(NotFoundException):
        milestones.get_milestone(code, 1)


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    MilestonesApi(qase_for()).create_milestone(code, MilestoneCreate(title="Mine"))
    viewer = MilestonesApi(qase_for("viewer"))
    assert viewer.get_milestones(code).result.total == 1
    with pytest.raises(ForbiddenException):
        viewer.create_milestone(code, MilestoneCreate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.update_milestone(code, 1, MilestoneUpdate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.delete_milestone(code, 1)
