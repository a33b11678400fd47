"""`PATCH /v1/custom_field/{id}` over HTTP against a live server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.custom_fields.helpers import (
    MULTISELECT,
    Stored,
    error_fields,
    get_field,
    make_field,
    options_of,
)
from tests.factories import make_project, unique_code

ClientAs = Callable[[str | None], httpx.Client]
THREE = [{"title": "One"}, {"title": "Two"}, {"title": "Three"}]


def _patch(api: httpx.Client, field_id: int, **body: object) -> httpx.Response:
    return api.patch(f"/v1/custom_field/{field_id}", json={"title": "Renamed", **body})


def _ok(api: httpx.Client, field_id: int, **body: object) -> dict[str, Any]:
    response = _patch(api, field_id, **body)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": True}
    return get_field(api, field_id)


class TestUpdateCustomField:
    def test_changes_what_is_sent_and_keeps_the_rest(self, api: httpx.Client) -> None:
        field_id = make_field(api, placeholder="Pick", default_value="1", is_required=True)
        before = get_field(api, field_id)
        after = _ok(api, field_id, is_filterable=True, is_visible=False)
        assert after["title"] == "Renamed"
        assert after["is_filterable"] is True and after["is_visible"] is False
        unchanged = ("placeholder", "default_value", "is_required", "value", "created_at")
        assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
        assert after["entity"] == before["entity"] and after["type"] == before["type"]
        assert after["updated_at"] >= before["updated_at"]

    def test_placeholder_and_default_can_be_cleared(self, api: httpx.Client) -> None:
        field_id = make_field(api, placeholder="Pick", default_value="1")
        after = _ok(api, field_id, placeholder=None, default_value=None)
        assert after["placeholder"] is None and after["default_value"] is None

    def test_options_are_renamed_added_and_removed(self, api: httpx.Client) -> None:
        field_id = make_field(api, value=THREE)
        value = [{"id": 3, "title": "Third"}, {"id": 1, "title": "One"}, {"title": "Four"}]
        after = _ok(api, field_id, value=value)
        assert options_of(after) == [
            {"id": 3, "title": "Third"},
            {"id": 1, "title": "One"},
            {"id": 4, "title": "Four"},
        ]

    def test_values_of_removed_options_are_cleared(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, value=THREE, projects_codes=[code], default_value="2")
        on_two, on_three = stored.write(code, {field_id: "2"}), stored.write(code, {field_id: "3"})
        after = _ok(api, field_id, value=[{"id": 1, "title": "One"}, {"id": 3, "title": "3"}])
        assert stored.read(on_two) == {field_id: ""}
        assert stored.read(on_three) == {field_id: "3"}
        assert after["default_value"] is None

    def test_replace_values_moves_stored_values(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, value=THREE, projects_codes=[code], default_value="2")
        on_one, on_two = stored.write(code, {field_id: "1"}), stored.write(code, {field_id: "2"})
        value = [{"id": 1, "title": "One"}, {"id": 3, "title": "Three"}]
        after = _ok(api, field_id, value=value, replace_values={"2": "3", "1": "3"})
        assert stored.read(on_one) == {field_id: "3"}
        assert stored.read(on_two) == {field_id: "3"}
        assert after["default_value"] == "3"
        assert stored.audit_actions(field_id) == ["create", "update"]

    def test_replace_values_can_swap_options(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, value=THREE, projects_codes=[code])
        on_one, on_two = stored.write(code, {field_id: "1"}), stored.write(code, {field_id: "2"})
        _ok(api, field_id, replace_values={"1": "2", "2": "1"})
        assert stored.read(on_one) == {field_id: "2"}
        assert stored.read(on_two) == {field_id: "1"}

    def test_multiselect_values_follow(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, type=MULTISELECT, value=THREE, projects_codes=[code])
        entity = stored.write(code, {field_id: "1,2,3"})
        untouched = stored.write(code, {field_id: "3"})
        value = [{"id": 1, "title": "One"}, {"id": 3, "title": "Three"}]
        _ok(api, field_id, value=value, replace_values={"1": "3"})
        assert stored.read(entity) == {field_id: "3"}
        assert stored.read(untouched) == {field_id: "3"}

    def test_projects_codes_are_replaced(self, api: httpx.Client) -> None:
        first, second, third = (make_project(api) for _ in range(3))
        field_id = make_field(api, projects_codes=[first, second])
        after = _ok(api, field_id, projects_codes=[third.lower(), second])
        assert after["projects_codes"] == sorted([second, third])
        assert _ok(api, field_id, projects_codes=[])["projects_codes"] == []

    def test_codes_left_out_are_kept(self, api: httpx.Client) -> None:
        code = make_project(api)
        field_id = make_field(api, projects_codes=[code])
        assert _ok(api, field_id, is_required=True)["projects_codes"] == [code]

    def test_checkbox_and_text_fields(self, api: httpx.Client) -> None:
        checkbox = make_field(api, type=4, default_value="1")
        assert _ok(api, checkbox, default_value="")["default_value"] == ""
        text = make_field(api, type=2, default_value="hello")
        assert _ok(api, text, default_value="bye", value=[])["default_value"] == "bye"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"value": []}, "value"),
            ({"value": [{"title": "A"}, {"title": "A"}]}, "value[1].title"),
            ({"default_value": "9"}, "default_value"),
            ({"replace_values": {"9": "1"}}, "replace_values.9"),
            ({"replace_values": {"1": "9"}}, "replace_values.1"),
            ({"replace_values": {"one": "2"}}, "replace_values.one"),
            ({"replace_values": {"1": 2}}, "replace_values.1"),
            ({"replace_values": ["1"]}, "replace_values"),
            ({"projects_codes": ["NOSUCHCODE"]}, "projects_codes"),
            ({"is_visible": None}, "is_visible"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        field_id = make_field(api)
        payload = {"title": "Renamed", **body}
        if body.get("title", "") is None:
            payload.pop("title")
        response = api.patch(f"/v1/custom_field/{field_id}", json=payload)
        assert response.status_code == 422, response.text
        assert field in error_fields(response)

    def test_non_select_fields_take_no_options(self, api: httpx.Client) -> None:
        field_id = make_field(api, type=1)
        response = _patch(api, field_id, value=[{"title": "A"}])
        assert response.status_code == 422 and error_fields(response) == ["value"]
        response = _patch(api, field_id, replace_values={"a": "b"})
        assert response.status_code == 422 and error_fields(response) == ["replace_values"]

    def test_failed_update_changes_nothing(self, api: httpx.Client, stored: Stored) -> None:
        code = make_project(api)
        field_id = make_field(api, value=THREE, projects_codes=[code])
        entity = stored.write(code, {field_id: "2"})
        before = get_field(api, field_id)
        response = _patch(
            api,
            field_id,
            value=[{"id": 1, "title": "One"}],
            projects_codes=[unique_code()],
            is_required=True,
        )
        assert response.status_code == 422
        assert get_field(api, field_id) == before
        assert stored.read(entity) == {field_id: "2"}

    def test_unknown_field_is_404(self, api: httpx.Client) -> None:
        assert _patch(api, 99999999).status_code == 404

    def test_deleted_field_is_404(self, api: httpx.Client) -> None:
        field_id = make_field(api)
        api.delete(f"/v1/custom_field/{field_id}")
        assert _patch(api, field_id).status_code == 404

    def test_member_and_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        field_id = make_field(api)
        before = get_field(api, field_id)
        for role in ("member", "viewer"):
            response = client_as(role).patch(f"/v1/custom_field/{field_id}", json={"title": "Mine"})
            assert response.status_code == 403
            assert "custom_field.update" in response.json()["errorMessage"]
        assert get_field(api, field_id) == before
