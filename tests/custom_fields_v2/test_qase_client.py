"""The official `qase-api-v2-client` (PyPI) reads custom fields from a live server's `/v2`."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from qase.api_client_v2.api.custom_fields_api import CustomFieldsApi
from qase.api_client_v2.api_client import ApiClient
from qase.api_client_v2.exceptions import NotFoundException, UnauthorizedException

from tests.custom_fields.helpers import make_field
from tests.factories import make_project

ClientFor = Callable[..., ApiClient]


def test_get_custom_field(qase_v2_for: ClientFor, api: httpx.Client) -> None:
    code = make_project(api)
    options = [{"title": "Low"}, {"title": "High"}]
    field_id = make_field(
        api, title="Risk", entity=0, type=6, value=options, default_value="2", projects_codes=[code]
    )
    got = CustomFieldsApi(qase_v2_for()).get_custom_field_v2(field_id)
    assert got.status is True
    field = got.result
    assert (field.id, field.title, field.entity, field.type) == (
        field_id,
        "Risk",
        "case",
        "multiselect",
    )
    assert field.default_value == "2" and field.projects_codes == [code]
    assert [(o.id, o.title, o.is_default, o.read_only) for o in field.value] == [
        (1, "Low", False, False),
        (2, "High", True, False),
    ]
    assert field.created_at is not None and field.created_at.tzinfo is not None


def test_list_filtered_and_paged(qase_v2_for: ClientFor, api: httpx.Client) -> None:
    wanted = {make_field(api, entity=1, type=1) for _ in range(3)}
    fields = CustomFieldsApi(qase_v2_for())
    first = fields.get_custom_fields_v2(entity="run", type="string", limit=2, offset=0).result
    assert first.count == 2 and first.filtered >= 3 and first.total >= first.filtered
    seen = []
    for offset in range(0, first.filtered, 100):
        page = fields.get_custom_fields_v2(entity="run", type="string", limit=100, offset=offset)
        seen += page.result.entities
    assert {(f.entity, f.type) for f in seen} == {("run", "string")}
    assert wanted <= {f.id for f in seen}
    assert all(f.value is None for f in seen)


def test_viewer_reads_and_missing_is_404(qase_v2_for: ClientFor, api: httpx.Client) -> None:
    field_id = make_field(api)
    viewer = CustomFieldsApi(qase_v2_for("viewer"))
    assert viewer.get_custom_field_v2(field_id).result.id == field_id
    assert viewer.get_custom_fields_v2().result.total >= 1
    api.delete(f"/v1/custom_field/{field_id}")
    with pytest.raises(NotFoundException):
        viewer.get_custom_field_v2(field_id)


def test_a_bad_token_is_401(server_url_client: Callable[[str], ApiClient]) -> None:
    with pytest.raises(UnauthorizedException):
        CustomFieldsApi(server_url_client("not-a-token")).get_custom_fields_v2()
