"""The official `qase-api-client` (PyPI) drives custom fields against a live server."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v1.api.custom_fields_api import CustomFieldsApi
from qase.api_client_v1.exceptions import ApiException, ForbiddenException, NotFoundException
from qase.api_client_v1.models.custom_field_create import CustomFieldCreate
from qase.api_client_v1.models.custom_field_create_value_inner import (
    CustomFieldCreateValueInner,
)
from qase.api_client_v1.models.custom_field_update import CustomFieldUpdate

from tests.factories import make_project, unique_code


def _options(*titles: str) -> list[CustomFieldCreateValueInner]:
    return [CustomFieldCreateValueInner(title=title) for title in titles]


def test_create_get_list_update_delete(qase_for: Callable[..., object], api: httpx.Client) -> None:
    fields = CustomFieldsApi(qase_for())
    code = make_project(api)
    title = f"Env {unique_code(5)}"

    created = fields.create_custom_field(
        CustomFieldCreate(
            title=title,
            entity=0,
            type=3,
            value=_options("Staging", "Production"),
            placeholder="Where",
            default_value="1",
            is_filterable=True,
            is_visible=True,
            is_required=False,
            is_enabled_for_all_projects=False,
            projects_codes=[code],
        )
    )
    assert created.status is True
    field_id = created.result.id

    got = fields.get_custom_field(field_id).result
    assert (got.id, got.title, got.entity, got.type) == (field_id, title, "case", "selectbox")
    assert json.loads(got.value) == [
        {"id": 1, "title": "Staging"},
        {"id": 2, "title": "Production"},
    ]
    assert got.default_value == "1" and got.placeholder == "Where"
    assert got.projects_codes == [code]
    assert got.created_at is not None and got.created == got.created_at.strftime(
        "%Y-%m-%d %H:%M:%S"
    )

    listed = fields.get_custom_fields(entity="case", type="selectbox", limit=100)
    assert listed.result.filtered <= listed.result.total
    assert all(f.entity == "case" and f.type == "selectbox" for f in listed.result.entities)
    seen: set[int] = set()
    for offset in range(0, listed.result.filtered, 100):
        page = fields.get_custom_fields(entity="case", type="selectbox", limit=100, offset=offset)
        seen |= {f.id for f in page.result.entities}
    assert field_id in seen

    updated = fields.update_custom_field(
        field_id,
        CustomFieldUpdate(
            title=f"{title} 2",
            value=[
                CustomFieldCreateValueInner(id=2, title="Prod"),
                CustomFieldCreateValueInner(title="Dev"),
            ],
            replace_values={"1": "3"},
            is_required=True,
            projects_codes=[],
        ),
    )
    assert updated.status is True
    got = fields.get_custom_field(field_id).result
    assert got.title == f"{title} 2" and got.is_required is True
    assert json.loads(got.value) == [{"id": 2, "title": "Prod"}, {"id": 3, "title": "Dev"}]
    assert got.default_value == "3" and got.projects_codes == []

    deleted = fields.delete_custom_field(field_id)
    assert deleted.status is True
    with pytest.raises(NotFoundException):
        fields.get_custom_field(field_id)


def test_a_plain_field_has_no_options(qase_for: Callable[..., object]) -> None:
    fields = CustomFieldsApi(qase_for())
    field_id = fields.create_custom_field(
        CustomFieldCreate(title="Ticket", entity=2, type=7, default_value="https://x.io")
    ).result.id
    got = fields.get_custom_field(field_id).result
    assert got.value is None and got.entity == "defect" and got.type == "url"
    assert got.default_value == "https://x.io" and got.updated is not None


def test_invalid_field_is_an_api_error(qase_for: Callable[..., object]) -> None:
    fields = CustomFieldsApi(qase_for())
    with pytest.raises(ApiException) as raised:
        fields.create_custom_field(CustomFieldCreate(title="Pick", entity=0, type=6))
    assert raised.value.status == 422


def test_viewer_reads_but_cannot_write(qase_for: Callable[..., object]) -> None:
    viewer = CustomFieldsApi(qase_for("viewer"))
    assert viewer.get_custom_fields(limit=1).status is True
    with pytest.raises(ForbiddenException):
        viewer.create_custom_field(CustomFieldCreate(title="No", entity=0, type=1))
