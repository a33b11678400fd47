"""`GET /v1/custom_field`, `GET` and `DELETE /v1/custom_field/{id}` over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.custom_fields.helpers import Stored, error_fields, get_field, make_field
from tests.factories import make_project

ClientAs = Callable[[str | None], httpx.Client]


def _list(api: httpx.Client, **params: object) -> dict[str, Any]:
    response = api.get("/v1/custom_field", params={"limit": 100, **params})
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


class TestGetCustomField:
    def test_unknown_id_is_404(self, api: httpx.Client) -> None:
        response = api.get("/v1/custom_field/99999999")
        assert response.status_code == 404
        assert response.json()["status"] is False

    @pytest.mark.parametrize("bad", ["abc", "0", "-3"])
    def test_bad_id_is_400(self, api: httpx.Client, bad: str) -> None:
        response = api.get(f"/v1/custom_field/{bad}")
        assert response.status_code == 400
        assert error_fields(response) == ["id"]

    def test_viewer_and_member_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        field_id = make_field(api)
        for role in ("viewer", "member"):
            response = client_as(role).get(f"/v1/custom_field/{field_id}")
            assert response.status_code == 200
            assert response.json()["result"]["id"] == field_id

    def test_codes_of_hidden_projects_are_not_shown(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        open_code, hidden_code = make_project(api), make_project(api, access="none")
        field_id = make_field(api, projects_codes=[open_code, hidden_code])
        assert get_field(api, field_id)["projects_codes"] == sorted([open_code, hidden_code])
        seen = client_as("member").get(f"/v1/custom_field/{field_id}").json()["result"]
        assert seen["projects_codes"] == [open_code]

    def test_no_token_is_401(self, client_as: ClientAs) -> None:
        assert client_as(None).get("/v1/custom_field/1").status_code == 401


class TestListCustomFields:
    def test_pages_cover_every_field_once(self, api: httpx.Client) -> None:
        created = {make_field(api) for _ in range(5)}
        total = _list(api, limit=1)["total"]
        seen: list[int] = []
        for offset in range(0, total, 2):
            page = _list(api, limit=2, offset=offset)
            assert page["count"] == len(page["entities"]) <= 2
            assert page["total"] == page["filtered"] == total
            seen += [f["id"] for f in page["entities"]]
        assert len(seen) == len(set(seen)) == total
        assert created <= set(seen)
        assert seen == sorted(seen)

    def test_list_entities_equal_the_single_reads(self, api: httpx.Client) -> None:
        code = make_project(api)
        field_id = make_field(api, projects_codes=[code], placeholder="p")
        listed = next(f for f in _every(api) if f["id"] == field_id)
        assert listed == get_field(api, field_id)

    def test_filter_by_entity(self, api: httpx.Client) -> None:
        run_field, defect_field = make_field(api, entity=1), make_field(api, entity=2)
        runs = _every(api, entity="run")
        assert run_field in {f["id"] for f in runs}
        assert defect_field not in {f["id"] for f in runs}
        assert {f["entity"] for f in runs} == {"run"}
        result = _list(api, entity="run", limit=1)
        assert result["filtered"] == len(runs) < result["total"]

    def test_filter_by_type(self, api: httpx.Client) -> None:
        url_field, text_field = make_field(api, type=7, value=None), make_field(api, type=2)
        urls = _every(api, type="url")
        assert url_field in {f["id"] for f in urls}
        assert text_field not in {f["id"] for f in urls}
        assert {f["type"] for f in urls} == {"url"}

    def test_filters_combine(self, api: httpx.Client) -> None:
        wanted = make_field(api, entity=2, type=9, value=None)
        other_entity = make_field(api, entity=0, type=9, value=None)
        other_type = make_field(api, entity=2, type=1, value=None)
        found = {f["id"] for f in _every(api, entity="defect", type="datetime")}
        assert wanted in found
        assert not {other_entity, other_type} & found

    def test_filtered_pages(self, api: httpx.Client) -> None:
        for _ in range(3):
            make_field(api, entity=2, type=0, value=None)
        filtered = _list(api, entity="defect", type="number", limit=1)["filtered"]
        seen = []
        for offset in range(filtered):
            page = _list(api, entity="defect", type="number", limit=1, offset=offset)
            assert page["count"] == 1 and page["filtered"] == filtered
            seen.append(page["entities"][0]["id"])
        assert len(set(seen)) == filtered >= 3

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"entity": "result"}, "entity"),
            ({"entity": "0"}, "entity"),
            ({"type": "select"}, "type"),
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"offset": -1}, "offset"),
        ],
    )
    def test_bad_parameters_are_400_naming_them(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        response = api.get("/v1/custom_field", params=params)
        assert response.status_code == 400
        assert error_fields(response) == [field]

    def test_viewer_can_list(self, client_as: ClientAs) -> None:
        assert client_as("viewer").get("/v1/custom_field").status_code == 200


@pytest.mark.both_backends  # values go by cascade
class TestDeleteCustomField:
    def test_deleted_field_is_gone(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, projects_codes=[code])
        stored.write(code, {field_id: "1"})
        response = api.delete(f"/v1/custom_field/{field_id}")
        assert response.status_code == 200
        assert response.json() == {"status": True}
        assert api.get(f"/v1/custom_field/{field_id}").status_code == 404
        assert field_id not in {f["id"] for f in _every(api)}
        assert stored.count_values(field_id) == 0
        assert stored.audit_actions(field_id) == ["create", "delete"]

    def test_deleting_twice_is_404(self, api: httpx.Client) -> None:
        field_id = make_field(api)
        assert api.delete(f"/v1/custom_field/{field_id}").status_code == 200
        assert api.delete(f"/v1/custom_field/{field_id}").status_code == 404

    def test_member_and_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        field_id = make_field(api)
        for role in ("member", "viewer"):
            response = client_as(role).delete(f"/v1/custom_field/{field_id}")
            assert response.status_code == 403
        assert api.get(f"/v1/custom_field/{field_id}").status_code == 200

    def test_bad_id_is_400(self, api: httpx.Client) -> None:
        assert api.delete("/v1/custom_field/abc").status_code == 400
