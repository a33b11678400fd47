"""`GET /v2/custom_field` and `GET /v2/custom_field/{id}` over HTTP (checked against the v2
contract). Fields are made through v1; the server is shared, so lists hold others' fields too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.custom_fields.helpers import error_fields, get_field, make_field
from tests.factories import make_project

ClientAs = Callable[[str | None], httpx.Client]
OPTION_KEYS = {"id", "title", "slug", "color", "icon", "is_default", "read_only"}


def _get(api: httpx.Client, field_id: int) -> dict[str, Any]:
    response = api.get(f"/v2/custom_field/{field_id}")
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True
    result: dict[str, Any] = response.json()["result"]
    return result


def _list(api: httpx.Client, **params: object) -> dict[str, Any]:
    response = api.get("/v2/custom_field", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def _every(api: httpx.Client, **params: object) -> list[dict[str, Any]]:
    """Every entity of a (filtered) list, page by page."""
    first = _list(api, **params)
    entities = list(first["entities"])
    for offset in range(100, first["filtered"], 100):
        entities += _list(api, offset=offset, **params)["entities"]
    return entities


class TestGetCustomFieldV2:
    def test_a_select_field_reads_back_with_its_options(self, api: httpx.Client) -> None:
        code = make_project(api)
        field_id = make_field(
            api,
            title="Priority v2",
            entity=1,
            type=3,
            value=[{"title": "Low"}, {"title": "High"}],
            placeholder="Pick one",
            is_required=True,
            is_filterable=True,
            projects_codes=[code],
        )
        got = _get(api, field_id)
        v1 = get_field(api, field_id)
        assert {k: got[k] for k in ("id", "title", "entity", "type", "placeholder")} == {
            "id": field_id,
            "title": "Priority v2",
            "entity": "run",
            "type": "selectbox",
            "placeholder": "Pick one",
        }
        assert (got["is_required"], got["is_filterable"], got["is_visible"]) == (True, True, True)
        assert got["is_enabled_for_all_projects"] is False
        assert got["projects_codes"] == [code]
        assert got["default_value"] is None
        assert got["value"] == [
            {"id": 1, "title": "Low", "slug": None, "color": None, "icon": None,
             "is_default": False, "read_only": False},
            {"id": 2, "title": "High", "slug": None, "color": None, "icon": None,
             "is_default": False, "read_only": False},
        ]  # fmt: skip
        # The same instants as v1, in the same wire form, and no legacy `created`/`updated`.
        assert (got["created_at"], got["updated_at"]) == (v1["created_at"], v1["updated_at"])
        assert datetime.fromisoformat(got["created_at"]).utcoffset() is not None
        assert "created" not in got and "updated" not in got

    def test_default_options_are_marked(self, api: httpx.Client) -> None:
        options = [{"title": "A"}, {"title": "B"}, {"title": "C"}]
        single = make_field(api, type=5, value=options, default_value="2")
        multi = make_field(api, type=6, value=options, default_value="1,3")
        assert [o["is_default"] for o in _get(api, single)["value"]] == [False, True, False]
        assert [o["is_default"] for o in _get(api, multi)["value"]] == [True, False, True]
        assert _get(api, multi)["default_value"] == "1,3"

    @pytest.mark.parametrize(("type_id", "slug"), [(0, "number"), (1, "string"), (4, "checkbox")])
    def test_fields_without_options_have_null_value(
        self, api: httpx.Client, type_id: int, slug: str
    ) -> None:
        got = _get(api, make_field(api, type=type_id, entity=2))
        assert (got["type"], got["entity"], got["value"]) == (slug, "defect", None)

    def test_updates_show_through(self, api: httpx.Client) -> None:
        field_id = make_field(api)
        body = {"title": "Renamed", "value": [{"id": 2, "title": "High"}, {"title": "Mid"}]}
        assert api.patch(f"/v1/custom_field/{field_id}", json=body).status_code == 200
        got = _get(api, field_id)
        assert got["title"] == "Renamed"
        assert [(o["id"], o["title"]) for o in got["value"]] == [(2, "High"), (3, "Mid")]

    def test_unknown_and_deleted_fields_are_404(self, api: httpx.Client) -> None:
        field_id = make_field(api)
        assert api.delete(f"/v1/custom_field/{field_id}").status_code == 200
        for missing in (field_id, 99_999_999):
            response = api.get(f"/v2/custom_field/{missing}")
            assert response.status_code == 404
            assert response.json()["status"] is False

    @pytest.mark.parametrize("bad", ["abc", "0", "-3", "1.5", str(2**63)])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, bad: str) -> None:
        response = api.get(f"/v2/custom_field/{bad}")
        assert response.status_code == 400
        assert error_fields(response) == ["id"]

    def test_codes_of_hidden_projects_are_not_shown(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        open_code, hidden_code = make_project(api), make_project(api, access="none")
        field_id = make_field(api, projects_codes=[open_code, hidden_code])
        assert _get(api, field_id)["projects_codes"] == sorted([open_code, hidden_code])
        assert _get(client_as("member"), field_id)["projects_codes"] == [open_code]

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        field_id = make_field(api)
        assert _get(client_as("viewer"), field_id)["id"] == field_id

    def test_no_token_is_401(self, client_as: ClientAs) -> None:
        assert client_as(None).get("/v2/custom_field/1").status_code == 401


class TestListCustomFieldsV2:
    def test_list_entities_equal_the_single_reads(self, api: httpx.Client) -> None:
        created = {make_field(api), make_field(api, type=1), make_field(api, entity=2, type=6)}
        listed = {f["id"]: f for f in _every(api) if f["id"] in created}
        assert listed == {field_id: _get(api, field_id) for field_id in created}

    def test_pages_cover_every_field_once_in_id_order(self, api: httpx.Client) -> None:
        for _ in range(3):
            make_field(api)
        total = _list(api, limit=1)["total"]
        seen: list[int] = []
        for offset in range(0, total, 2):
            page = _list(api, limit=2, offset=offset)
            assert page["count"] == len(page["entities"]) <= 2
            assert page["total"] == page["filtered"] == total
            seen += [f["id"] for f in page["entities"]]
        assert len(seen) == len(set(seen)) == total
        assert seen == sorted(seen)

    def test_default_page_is_ten(self, api: httpx.Client) -> None:
        for _ in range(11):
            make_field(api)
        result = api.get("/v2/custom_field").json()["result"]
        assert result["count"] == 10 and result["total"] >= 11

    def test_filters_by_entity(self, api: httpx.Client) -> None:
        run_field, defect_field = make_field(api, entity=1), make_field(api, entity=2)
        runs = _every(api, entity="run")
        assert {f["entity"] for f in runs} == {"run"}
        assert run_field in {f["id"] for f in runs} and defect_field not in {f["id"] for f in runs}
        result = _list(api, entity="run")
        assert result["filtered"] == len(runs) < result["total"]

    def test_filters_by_type(self, api: httpx.Client) -> None:
        url_field, user_field = make_field(api, type=7), make_field(api, type=8)
        urls = _every(api, type="url")
        assert {f["type"] for f in urls} == {"url"}
        assert url_field in {f["id"] for f in urls} and user_field not in {f["id"] for f in urls}

    def test_entity_and_type_combine(self, api: httpx.Client) -> None:
        wanted = make_field(api, entity=2, type=9)
        other_entity, other_type = make_field(api, entity=0, type=9), make_field(api, entity=2)
        ids = {f["id"] for f in _every(api, entity="defect", type="datetime")}
        assert wanted in ids and not ids & {other_entity, other_type}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"entity": "plan"}, "entity"),
            ({"type": "select"}, "type"),
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"offset": -1}, "offset"),
            ({"offset": "x"}, "offset"),
        ],
    )
    def test_bad_query_is_400_naming_it(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        response = api.get("/v2/custom_field", params=params)
        assert response.status_code == 400
        assert error_fields(response) == [field]

    def test_viewer_can_list(self, client_as: ClientAs, api: httpx.Client) -> None:
        make_field(api)
        assert _list(client_as("viewer"))["total"] >= 1

    def test_no_token_is_401(self, client_as: ClientAs) -> None:
        assert client_as(None).get("/v2/custom_field").status_code == 401
