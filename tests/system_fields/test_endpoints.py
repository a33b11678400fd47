"""`GET /v1/system_field` over HTTP against a live server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from testament.system_fields.catalog import SYSTEM_FIELDS

ClientAs = Callable[[str | None], httpx.Client]


def _fields(client: httpx.Client) -> dict[str, dict[str, Any]]:
    response = client.get("/v1/system_field")
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True
    return {field["slug"]: field for field in response.json()["result"]}


class TestGetSystemFields:
    def test_lists_every_case_field_and_result_statuses(self, api: httpx.Client) -> None:
        fields = _fields(api)
        assert list(fields) == [
            "severity",
            "priority",
            "type",
            "behavior",
            "layer",
            "is_flaky",
            "status",
            "automation",
            "result_status",
        ]
        assert len(fields) == len(SYSTEM_FIELDS)

    def test_severity_options_in_full(self, api: httpx.Client) -> None:
        severity = _fields(api)["severity"]
        assert {k: v for k, v in severity.items() if k != "options"} == {
            "title": "Severity",
            "slug": "severity",
            "default_value": "0",
            "is_required": False,
            "entity": 0,
            "type": 3,
        }
        assert [(o["id"], o["slug"]) for o in severity["options"]] == [
            (0, "undefined"),
            (1, "blocker"),
            (2, "critical"),
            (3, "major"),
            (4, "normal"),
            (5, "minor"),
            (6, "trivial"),
        ]
        first = severity["options"][0]
        assert first == {
            "id": 0,
            "title": "Not set",
            "slug": "undefined",
            "color": first["color"],
            "icon": first["icon"],
            "is_default": True,
            "read_only": True,
        }
        assert first["color"].startswith("#") and first["icon"]

    def test_the_ids_cases_store(self, api: httpx.Client) -> None:
        fields = _fields(api)

        def ids(slug: str) -> dict[str, int]:
            return {o["slug"]: o["id"] for o in fields[slug]["options"]}

        assert ids("priority") == {"undefined": 0, "high": 1, "medium": 2, "low": 3}
        assert ids("behavior") == {"undefined": 1, "positive": 2, "negative": 3, "destructive": 4}
        assert ids("layer") == {"unknown": 0, "e2e": 1, "api": 2, "unit": 3}
        assert ids("is_flaky") == {"no": 0, "yes": 1}
        assert ids("status") == {"actual": 0, "draft": 1, "deprecated": 2}
        assert ids("automation") == {"is-not-automated": 0, "to-be-automated": 1, "automated": 2}
        assert list(ids("type")) == [
            "other",
            "functional",
            "smoke",
            "regression",
            "security",
            "usability",
            "performance",
            "acceptance",
            "compatibility",
            "integration",
            "exploratory",
        ]
        assert list(ids("type").values()) == list(range(1, 12))
        assert ids("result_status") == {
            "passed": 1,
            "failed": 2,
            "blocked": 3,
            "invalid": 4,
            "skipped": 5,
            "in_progress": 7,
        }

    def test_each_field_has_exactly_one_default_option(self, api: httpx.Client) -> None:
        for field in _fields(api).values():
            defaults = [o for o in field["options"] if o["is_default"]]
            assert len(defaults) == 1, field["slug"]
            assert field["default_value"] == str(defaults[0]["id"])
            slugs = [o["slug"] for o in field["options"]]
            assert len(set(slugs)) == len(slugs)

    def test_every_role_can_read(self, client_as: ClientAs) -> None:
        for role in ("owner", "admin", "member", "viewer"):
            assert client_as(role).get("/v1/system_field").status_code == 200

    def test_no_token_is_401(self, client_as: ClientAs) -> None:
        assert client_as(None).get("/v1/system_field").status_code == 401

    def test_writes_are_not_allowed(self, api: httpx.Client) -> None:
        assert api.post("/v1/system_field", json={}).status_code == 405
