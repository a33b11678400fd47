"""The official `qase-api-client` (PyPI) drives every defect operation against a live server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from qase.api_client_v1.api.defects_api import DefectsApi
from qase.api_client_v1.exceptions import (
    ForbiddenException,
    NotFoundException,
    UnprocessableEntityException,
)
from qase.api_client_v1.models.defect_create import DefectCreate
from qase.api_client_v1.models.defect_status import DefectStatus
from qase.api_client_v1.models.defect_update import DefectUpdate

from tests.acting import Acting, actor_of
from tests.defects.helpers import (
    add_result,
    file_from_result,
    make_defect_field,
    make_milestone,
    upload,
)
from tests.factories import make_project
from tests.live import LiveServer


def test_create_get_list_update_delete(
    qase_for: Callable[..., object], api: httpx.Client, server: LiveServer
) -> None:
    defects = DefectsApi(qase_for())
    code = make_project(api)
    milestone, field, attachment = (
        make_milestone(api, code),
        make_defect_field(api, code),
        upload(api, code, "shot.png"),
    )

    created = defects.create_defect(
        code,
        DefectCreate(
            title="Cart is empty",
            actual_result="No items",
            severity=2,
            milestone_id=milestone,
            attachments=[attachment],
            custom_field={str(field): "Cart"},
            tags=["cart"],
        ),
    )
    assert created.status is True and created.result.id == 1
    defects.create_defect(code, DefectCreate(title="Typo", actual_result="", severity=6))

    got = defects.get_defect(code, 1).result
    assert (got.id, got.title, got.actual_result, got.severity, got.status) == (
        1,
        "Cart is empty",
        "No items",
        "critical",
        "open",
    )
    assert (got.milestone_id, got.resolved_at) == (milestone, None)
    assert got.author_id == got.member_id == actor_of(server, "admin").author_id
    assert [(v.id, v.value) for v in got.custom_fields] == [(field, "Cart")]
    assert [a.filename for a in got.attachments] == ["shot.png"]
    assert [t.title for t in got.tags] == ["cart"]
    assert (got.external_data, got.runs, got.results) == ("{}", [], [])
    assert got.created_at is not None and got.created_at.tzinfo is not None
    assert got.created == got.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    listed = defects.get_defects(code, limit=1, offset=1).result
    assert (listed.total, listed.filtered, listed.count) == (2, 2, 1)
    assert listed.entities[0].title == "Typo" and listed.entities[0].severity == "trivial"

    updated = defects.update_defect(
        code, 1, DefectUpdate(title="Cart shows nothing", severity=1, milestone_id=None, tags=[])
    )
    assert updated.result.id == 1
    got = defects.get_defect(code, 1).result
    assert (got.title, got.severity, got.milestone_id, got.tags) == (
        "Cart shows nothing",
        "blocker",
        None,
        [],
    )

    resolved = defects.resolve_defect(code, 1)
    assert resolved.status is True and resolved.result.id == 1
    got = defects.get_defect(code, 1).result
    assert got.status == "resolved" and got.resolved_at is not None
    assert datetime.now(UTC) - got.resolved_at < timedelta(minutes=1)

    changed = defects.update_defect_status(code, 2, DefectStatus(status="in_progress"))
    assert changed.status is True
    in_progress = defects.get_defects(code, status="in_progress").result
    assert [d.id for d in in_progress.entities] == [2]
    assert defects.get_defects(code, status="open").result.filtered == 0

    deleted = defects.delete_defect(code, 1)
    assert deleted.status is True and deleted.result.id == 1
    with pytest.raises(NotFoundException):
        defects.get_defect(code, 1)
    assert defects.get_defects(code).result.total == 1


def test_defects_filed_from_results_show_their_runs_and_results(
    qase_for: Callable[..., object], api: httpx.Client, acting: Acting
) -> None:
    code = make_project(api)
    source = add_result(acting, code)
    number = file_from_result(acting, code, source, severity=4)
    got = DefectsApi(qase_for()).get_defect(code, number).result
    assert (got.runs, got.results, got.severity) == (
        [source.run_number],
        [source.result_hash],
        "normal",
    )


def test_errors(qase_for: Callable[..., object], api: httpx.Client) -> None:
    defects = DefectsApi(qase_for())
    code = make_project(api)
    with pytest.raises(UnprocessableEntityException) as raised:
        defects.create_defect(code, DefectCreate(title="x", actual_result="y", severity=42))
    assert "severity" in str(raised.value.body)
    with pytest.raises(NotFoundException):
        defects.resolve_defect(code, 1)
    with pytest.raises(NotFoundException):
        defects.update_defect_status(code, 1, DefectStatus(status="invalid"))


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object], api: httpx.Client) -> None:
    code = make_project(api)
    body = DefectCreate(title="Mine", actual_result="", severity=0)
    DefectsApi(qase_for()).create_defect(code, body)
    viewer = DefectsApi(qase_for("viewer"))
    assert viewer.get_defects(code).result.total == 1
    assert viewer.get_defect(code, 1).result.title == "Mine"
    with pytest.raises(ForbiddenException):
        viewer.create_defect(code, body)
    with pytest.raises(ForbiddenException):
        viewer.update_defect(code, 1, DefectUpdate(title="Theirs"))
    with pytest.raises(ForbiddenException):
        viewer.resolve_defect(code, 1)
    with pytest.raises(ForbiddenException):
        viewer.update_defect_status(code, 1, DefectStatus(status="invalid"))
    with pytest.raises(ForbiddenException):
        viewer.delete_defect(code, 1)
