"""Bulk creation (all or nothing, bounded) and external issue links."""

from __future__ import annotations

import httpx

from tests.audit.helpers import audit_entries
from tests.cases.helpers import case_total, get_case, make_case, ok
from tests.factories import make_project


class TestBulk:
    def test_creates_every_case_in_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        result = ok(
            api.post(
                f"/v1/case/{code}/bulk",
                json={
                    "cases": [
                        {"title": "One", "severity": "major", "steps": [{"action": "go"}]},
                        {"title": "Two", "tags": ["bulk"]},
                    ]
                },
            )
        )
        assert result == {"ids": [1, 2]}
        assert get_case(api, code, 1)["steps"][0]["action"] == "go"
        assert [t["title"] for t in get_case(api, code, 2)["tags"]] == ["bulk"]

    def test_one_bad_case_writes_nothing_and_is_named(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(
            f"/v1/case/{code}/bulk",
            json={
                "cases": [
                    {"title": "Fine"},
                    {"title": "Bad", "severity": "nope"},
                ]
            },
        )
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "cases[1].severity"
        assert case_total(api, code) == 0
        assert make_case(api, code) == 1, "no number was used up"

    def test_body_validation_names_the_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(f"/v1/case/{code}/bulk", json={"cases": [{"title": "ok"}, {}]})
        assert response.status_code == 422
        assert "cases[1].title" in [f["field"] for f in response.json()["errorFields"]]

    def test_over_the_limit_is_413(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(f"/v1/case/{code}/bulk", json={"cases": [{"title": "x"}] * 501})
        assert response.status_code == 413
        assert "500" in response.json()["errorMessage"]
        assert case_total(api, code) == 0

    def test_empty_and_missing_lists(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert api.post(f"/v1/case/{code}/bulk", json={"cases": []}).status_code == 422
        assert api.post(f"/v1/case/{code}/bulk", json={}).status_code == 422

    def test_explicit_ids_are_kept_and_numbering_continues(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert ok(
            api.post(
                f"/v1/case/{code}/bulk",
                json={
                    "cases": [
                        {"title": "Imported", "id": 40},
                        {"title": "Next"},
                    ]
                },
            )
        )["ids"] == [40, 41]
        assert make_case(api, code) == 42

    def test_taken_or_repeated_ids_are_refused(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_case(api, code)
        taken = api.post(f"/v1/case/{code}/bulk", json={"cases": [{"title": "x", "id": 1}]})
        assert taken.status_code == 422 and taken.json()["errorFields"][0]["field"] == "cases"
        twice = api.post(
            f"/v1/case/{code}/bulk",
            json={"cases": [{"title": "x", "id": 5}, {"title": "y", "id": 5}]},
        )
        assert twice.status_code == 422


class TestExternalIssues:
    def test_attach_is_idempotent_and_detach_removes(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code)
        body = {
            "type": "jira-cloud",
            "links": [{"case_id": number, "external_issues": ["WEB-1", "WEB-2"]}],
        }
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=body).json() == {
            "status": True
        }
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=body).status_code == 200
        issues = get_case(api, code, number)["external_issues"]
        assert [i["id"] for i in issues[0]["issues"]] == ["WEB-1", "WEB-2"]
        detach = {
            "type": "jira-cloud",
            "links": [{"case_id": number, "external_issues": ["WEB-1"]}],
        }
        assert api.post(f"/v1/case/{code}/external-issue/detach", json=detach).status_code == 200
        assert [i["id"] for i in get_case(api, code, number)["external_issues"][0]["issues"]] == [
            "WEB-2"
        ]

    def test_unknown_case_or_type_is_422_and_nothing_linked(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code)
        body = {
            "type": "jira-cloud",
            "links": [
                {"case_id": number, "external_issues": ["WEB-1"]},
                {"case_id": 99, "external_issues": ["WEB-2"]},
            ],
        }
        response = api.post(f"/v1/case/{code}/external-issue/attach", json=body)
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "links[1].case_id"
        assert get_case(api, code, number)["external_issues"] == []
        bad_type = api.post(
            f"/v1/case/{code}/external-issue/attach", json={**body, "type": "asana"}
        )
        assert bad_type.status_code == 422 and bad_type.json()["errorFields"][0]["field"] == "type"

    def test_many_cases_in_one_request(self, api: httpx.Client) -> None:
        code = make_project(api)
        first, second = make_case(api, code), make_case(api, code)
        url = "https://tracker.example.com/browse/WEB-9"
        body = {
            "type": "jira-server",
            "links": [
                {"case_id": first, "external_issues": ["WEB-1", url]},
                {"case_id": second, "external_issues": ["WEB-1"]},
                # The same case again, with an issue it has and one it has not.
                {"case_id": first, "external_issues": ["WEB-1", "WEB-3"]},
            ],
        }
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=body).status_code == 200
        [issues] = get_case(api, code, first)["external_issues"]
        assert issues["type"] == "jira-server"
        assert issues["issues"] == [
            {"id": "WEB-1", "link": ""},
            {"id": "WEB-9", "link": url},
            {"id": "WEB-3", "link": ""},
        ]
        other = {"type": "jira-cloud", "links": [{"case_id": second, "external_issues": ["W-7"]}]}
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=other).status_code == 200
        detach = {
            "type": "jira-server",
            "links": [
                {"case_id": first, "external_issues": [url, "WEB-404"]},
                {"case_id": second, "external_issues": ["WEB-1", "W-7"]},
            ],
        }
        assert api.post(f"/v1/case/{code}/external-issue/detach", json=detach).status_code == 200
        assert [i["id"] for i in get_case(api, code, first)["external_issues"][0]["issues"]] == [
            "WEB-1",
            "WEB-3",
        ]
        # Detaching names one tracker: the other tracker's W-7 stays.
        assert get_case(api, code, second)["external_issues"] == [
            {"type": "jira-cloud", "issues": [{"id": "W-7", "link": ""}]}
        ]
        entries = audit_entries(api, entity_type="case", project=code)
        assert [e["action"] for e in entries if "external" in e["action"]] == [
            "detach_external_issues",
            "attach_external_issues",
            "attach_external_issues",
        ]
