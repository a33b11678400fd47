"""Listing cases: every filter really filters, pages cover everything, bad filters are 400."""

from __future__ import annotations

import httpx
import pytest

from tests.cases.helpers import make_case, make_milestone, make_suite, ok
from tests.factories import make_project

# Search (lower, LIKE escapes) and filters are SQL functions that differ by dialect.
pytestmark = pytest.mark.both_backends


def ids(api: httpx.Client, code: str, **params: object) -> list[int]:
    return [
        c["id"]
        for c in ok(api.get(f"/v1/case/{code}", params={"limit": 100, **params}))["entities"]
    ]


@pytest.fixture
def catalogue(api: httpx.Client) -> tuple[str, dict[str, int]]:
    code = make_project(api)
    suite, milestone = make_suite(api, code), make_milestone(api, code)
    made = {
        "login": make_case(
            api,
            code,
            title="Login works",
            severity="critical",
            priority="high",
            type="smoke",
            behavior="positive",
            status="actual",
            suite_id=suite,
        ),
        "logout": make_case(
            api,
            code,
            title="Logout works",
            severity="minor",
            priority="low",
            type="regression",
            behavior="negative",
            status="draft",
            automation=2,
            milestone_id=milestone,
        ),
        "percent": make_case(
            api, code, title="100% discount", severity="critical", automation=1, status="deprecated"
        ),
    }
    made["suite"], made["milestone"] = suite, milestone
    return code, made


class TestFilters:
    def test_search_is_case_insensitive_and_literal(
        self, api: httpx.Client, catalogue: tuple[str, dict[str, int]]
    ) -> None:
        code, made = catalogue
        assert ids(api, code, search="WORKS") == [made["login"], made["logout"]]
        assert ids(api, code, search="%") == [made["percent"]]
        assert ids(api, code, search="_") == []

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"severity": "critical"}, ["login", "percent"]),
            ({"severity": "minor,critical"}, ["login", "logout", "percent"]),
            ({"priority": "high"}, ["login"]),
            ({"type": "regression"}, ["logout"]),
            ({"behavior": "negative"}, ["logout"]),
            ({"automation": "automated"}, ["logout"]),
            ({"automation": "to-be-automated"}, ["percent"]),
            ({"automation": "is-not-automated"}, ["login"]),
            ({"status": "draft,deprecated"}, ["logout", "percent"]),
            ({"severity": "critical", "status": "actual"}, ["login"]),
        ],
    )
    def test_enum_filters(
        self,
        api: httpx.Client,
        catalogue: tuple[str, dict[str, int]],
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        code, made = catalogue
        assert ids(api, code, **params) == [made[name] for name in expected]

    def test_suite_and_milestone(
        self, api: httpx.Client, catalogue: tuple[str, dict[str, int]]
    ) -> None:
        code, made = catalogue
        assert ids(api, code, suite_id=made["suite"]) == [made["login"]]
        assert ids(api, code, milestone_id=made["milestone"]) == [made["logout"]]
        assert ids(api, code, suite_id=999) == []

    def test_total_and_filtered(
        self, api: httpx.Client, catalogue: tuple[str, dict[str, int]]
    ) -> None:
        code, _ = catalogue
        result = ok(api.get(f"/v1/case/{code}", params={"severity": "critical", "limit": 1}))
        assert (result["total"], result["filtered"], result["count"]) == (3, 2, 1)

    def test_external_issue_filters(
        self, api: httpx.Client, catalogue: tuple[str, dict[str, int]]
    ) -> None:
        code, made = catalogue
        body = {
            "type": "jira-cloud",
            "links": [{"case_id": made["logout"], "external_issues": ["WEB-1"]}],
        }
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=body).json() == {
            "status": True
        }
        assert ids(api, code, **{"external_issues[type]": "jira-cloud"}) == [made["logout"]]
        assert ids(api, code, **{"external_issues[ids][]": ["WEB-1", "WEB-9"]}) == [made["logout"]]
        assert ids(api, code, **{"external_issues[type]": "jira-server"}) == []

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"severity": "apocalyptic"}, "severity"),
            ({"automation": "robots"}, "automation"),
            ({"status": "actual,nope"}, "status"),
            ({"suite_id": "one"}, "suite_id"),
            ({"include": "everything"}, "include"),
            ({"external_issues[type]": "bugzilla"}, "external_issues[type]"),
            ({"limit": 0}, "limit"),
        ],
    )
    def test_bad_filters_are_400(
        self,
        api: httpx.Client,
        catalogue: tuple[str, dict[str, int]],
        params: dict[str, str],
        field: str,
    ) -> None:
        code, _ = catalogue
        response = api.get(f"/v1/case/{code}", params=params)
        assert response.status_code == 400, response.text
        assert response.json()["errorFields"][0]["field"] == field


class TestPaging:
    def test_pages_cover_every_case_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        made = ok(
            api.post(
                f"/v1/case/{code}/bulk", json={"cases": [{"title": f"c{i}"} for i in range(23)]}
            )
        )["ids"]
        seen = []
        for offset in range(0, 30, 10):
            page = ok(api.get(f"/v1/case/{code}", params={"limit": 10, "offset": offset}))
            assert page["total"] == 23
            seen += [c["id"] for c in page["entities"]]
        assert seen == made

    def test_another_projects_cases_never_show(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_case(api, other, title="Secret")
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 0
        assert api.get(f"/v1/case/{code}/1").status_code == 404

    def test_include_external_issues(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_case(api, code)
        body = {
            "type": "jira-server",
            "links": [
                {"case_id": number, "external_issues": ["https://jira.example.com/browse/AB-7"]}
            ],
        }
        assert api.post(f"/v1/case/{code}/external-issue/attach", json=body).json() == {
            "status": True
        }
        case = ok(api.get(f"/v1/case/{code}/{number}", params={"include": "external_issues"}))
        assert case["external_issues"] == [
            {
                "type": "jira-server",
                "issues": [{"id": "AB-7", "link": "https://jira.example.com/browse/AB-7"}],
            }
        ]
