"""`POST /v1/custom_field` over HTTP against a live server."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from tests.custom_fields.helpers import (
    CHECKBOX,
    MULTISELECT,
    Stored,
    error_fields,
    field_body,
    get_field,
    make_field,
    options_of,
)
from tests.factories import make_project, unique_code

ClientAs = Callable[[str | None], httpx.Client]
LEGACY_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _total(api: httpx.Client) -> int:
    return int(api.get("/v1/custom_field", params={"limit": 1}).json()["result"]["total"])


class TestCreateCustomField:
    def test_creates_a_selectbox_and_reads_it_back(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        body = field_body(
            title="Browser",
            entity=1,
            value=[{"title": "Chrome"}, {"title": "Firefox"}],
            placeholder="Pick one",
            default_value="2",
            is_filterable=True,
            is_visible=False,
            is_required=True,
            projects_codes=[second.lower(), first],
        )
        response = api.post("/v1/custom_field", json=body)
        assert response.status_code == 200, response.text
        field_id = response.json()["result"]["id"]
        assert response.json() == {"status": True, "result": {"id": field_id}}

        field = get_field(api, field_id)
        assert options_of(field) == [{"id": 1, "title": "Chrome"}, {"id": 2, "title": "Firefox"}]
        timestamps = ("created", "updated", "created_at", "updated_at", "value")
        assert {k: v for k, v in field.items() if k not in timestamps} == {
            "id": field_id,
            "title": "Browser",
            "entity": "run",
            "type": "selectbox",
            "placeholder": "Pick one",
            "default_value": "2",
            "is_required": True,
            "is_visible": False,
            "is_filterable": True,
            "is_enabled_for_all_projects": False,
            "projects_codes": sorted([first, second]),
        }
        assert LEGACY_DATETIME.fullmatch(field["created"])
        assert LEGACY_DATETIME.fullmatch(field["updated"])
        created_at = datetime.fromisoformat(field["created_at"])
        assert created_at.utcoffset() is not None
        assert created_at.strftime("%Y-%m-%d %H:%M:%S") == field["created"]

    def test_defaults_of_the_optional_fields(self, api: httpx.Client) -> None:
        field = get_field(api, make_field(api, type=1, value=None))
        assert field["entity"] == "case" and field["type"] == "string"
        assert field["value"] is None and field["placeholder"] is None
        assert field["default_value"] is None and field["projects_codes"] == []
        assert field["is_required"] is False and field["is_filterable"] is False
        assert field["is_visible"] is True and field["is_enabled_for_all_projects"] is False

    def test_option_ids_sent_are_kept_and_new_ones_follow(self, api: httpx.Client) -> None:
        value = [{"id": 7, "title": "Seven"}, {"title": "Next"}, {"id": 3, "title": "Three"}]
        field = get_field(api, make_field(api, type=MULTISELECT, value=value))
        assert options_of(field) == [
            {"id": 7, "title": "Seven"},
            {"id": 8, "title": "Next"},
            {"id": 3, "title": "Three"},
        ]
        assert field["type"] == "multiselect"

    @pytest.mark.parametrize(
        ("type_id", "slug", "default"),
        [
            (0, "number", "-12.5"),
            (1, "string", "hello"),
            (2, "text", "line one\nline two"),
            (4, "checkbox", "1"),
            (7, "url", "https://qase.io/path?q=1"),
            (8, "user", "1"),
            (9, "datetime", "2026-04-29T15:00:00Z"),
        ],
    )
    def test_each_type_without_options(
        self, api: httpx.Client, type_id: int, slug: str, default: str
    ) -> None:
        field = get_field(api, make_field(api, type=type_id, value=None, default_value=default))
        assert field["type"] == slug
        assert field["default_value"] == default
        assert field["value"] is None

    def test_radio_default_is_an_option_id(self, api: httpx.Client) -> None:
        field = get_field(api, make_field(api, type=5, default_value="1"))
        assert field["type"] == "radio" and field["default_value"] == "1"

    def test_checkbox_keeps_an_unchecked_default(self, api: httpx.Client) -> None:
        field = get_field(api, make_field(api, type=CHECKBOX, value=[], default_value=""))
        assert field["default_value"] == ""

    def test_empty_default_means_none(self, api: httpx.Client) -> None:
        field = get_field(api, make_field(api, type=1, value=None, default_value=""))
        assert field["default_value"] is None

    def test_enabled_for_all_projects(self, api: httpx.Client) -> None:
        field = get_field(api, make_field(api, is_enabled_for_all_projects=True))
        assert field["is_enabled_for_all_projects"] is True and field["projects_codes"] == []

    def test_project_codes_are_listed_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        field = get_field(api, make_field(api, projects_codes=[code, code.lower()]))
        assert field["projects_codes"] == [code]

    def test_is_audited(self, api: httpx.Client, stored: Stored) -> None:
        assert stored.audit_actions(make_field(api)) == ["create"]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"entity": 3}, "entity"),
            ({"entity": "case"}, "entity"),
            ({"type": 10}, "type"),
            ({"type": -1}, "type"),
            ({"value": None}, "value"),
            ({"value": []}, "value"),
            ({"type": 1, "value": [{"title": "A"}]}, "value"),
            ({"value": [{"title": ""}]}, "value[0].title"),
            ({"value": [{"id": 0, "title": "A"}]}, "value[0].id"),
            ({"value": [{"id": 1, "title": "A"}, {"id": 1, "title": "B"}]}, "value[1].id"),
            ({"value": [{"title": "A"}, {"title": "a"}]}, "value[1].title"),
            ({"value": "Low,High"}, "value"),
            ({"default_value": "3"}, "default_value"),
            ({"default_value": "Low"}, "default_value"),
            ({"type": MULTISELECT, "default_value": "1,9"}, "default_value"),
            ({"type": 0, "value": None, "default_value": "abc"}, "default_value"),
            ({"type": CHECKBOX, "value": None, "default_value": "yes"}, "default_value"),
            ({"type": 7, "value": None, "default_value": "not a url"}, "default_value"),
            ({"type": 9, "value": None, "default_value": "tomorrow"}, "default_value"),
            ({"type": 8, "value": None, "default_value": "999999"}, "default_value"),
            ({"type": 8, "value": None, "default_value": "me"}, "default_value"),
            ({"type": 1, "value": None, "default_value": "x" * 256}, "default_value"),
            ({"placeholder": "x" * 256}, "placeholder"),
            ({"is_required": "maybe"}, "is_required"),
            ({"projects_codes": "DEMO"}, "projects_codes"),
            ({"projects_codes": ["NOSUCHCODE"]}, "projects_codes"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, changes: dict[str, object], field: str
    ) -> None:
        body = {k: v for k, v in (field_body() | changes).items() if v is not None}
        if changes.get("value", "") is None:
            body.pop("value", None)
        response = api.post("/v1/custom_field", json=body)
        assert response.status_code == 422, response.text
        assert field in error_fields(response)
        assert response.json()["status"] is False

    def test_unknown_code_is_named_in_the_message(self, api: httpx.Client) -> None:
        code = make_project(api)
        missing = unique_code()
        response = api.post("/v1/custom_field", json=field_body(projects_codes=[code, missing]))
        assert response.status_code == 422
        assert missing in response.json()["errorFields"][0]["error"]

    def test_bad_input_writes_nothing(self, api: httpx.Client) -> None:
        before = _total(api)
        body = field_body(projects_codes=[make_project(api), unique_code()])
        assert api.post("/v1/custom_field", json=body).status_code == 422
        assert _total(api) == before

    def test_body_must_be_an_object(self, api: httpx.Client) -> None:
        response = api.post("/v1/custom_field", json=["title"])
        assert response.status_code == 422

    def test_member_and_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        before = _total(api)
        for role in ("member", "viewer"):
            response = client_as(role).post("/v1/custom_field", json=field_body())
            assert response.status_code == 403
            assert "custom_field.create" in response.json()["errorMessage"]
        assert _total(api) == before

    def test_owner_can_create(self, client_as: ClientAs) -> None:
        response = client_as("owner").post("/v1/custom_field", json=field_body())
        assert response.status_code == 200

    def test_no_token_is_401(self, client_as: ClientAs) -> None:
        assert client_as(None).post("/v1/custom_field", json=field_body()).status_code == 401
