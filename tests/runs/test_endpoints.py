"""`/v1/run/{code}` over HTTP against a live server (every response checked against the contract)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.cases.helpers import make_case, make_milestone, ok
from tests.factories import make_project

# Run cases are upserted (insert-or-ignore), filters compare datetimes, deletes cascade.
pytestmark = pytest.mark.both_backends

ClientAs = Callable[[str | None], httpx.Client]


def make_run(api: httpx.Client, code: str, **fields: Any) -> int:
    return int(ok(api.post(f"/v1/run/{code}", json={"title": "Nightly", **fields}))["id"])


def get_run(api: httpx.Client, code: str, number: int, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/run/{code}/{number}", params=params))
    return result


def make_environment(api: httpx.Client, code: str, slug: str) -> int:
    body = {"title": slug.title(), "slug": slug, "host": f"{slug}.example.com"}
    return int(ok(api.post(f"/v1/environment/{code}", json=body))["id"])


def make_configuration(api: httpx.Client, code: str, group: str, title: str) -> int:
    group_id = ok(api.post(f"/v1/configuration/{code}/group", json={"title": group}))["id"]
    return int(
        ok(api.post(f"/v1/configuration/{code}", json={"title": title, "group_id": group_id}))["id"]
    )


class TestCreateRun:
    def test_every_field_reads_back(self, api: httpx.Client) -> None:
        code = make_project(api)
        cases = [make_case(api, code) for _ in range(3)]
        milestone = make_milestone(api, code)
        env = make_environment(api, code, "staging")
        config = make_configuration(api, code, "Browser", "Chrome")
        number = make_run(
            api,
            code,
            title="Release 1.2",
            description="Full regression",
            cases=cases[:2],
            milestone_id=milestone,
            environment_id=env,
            configurations=[config],
            tags=["release", "ci"],
            is_autotest=True,
            start_time="2026-11-22 17:08:56",
        )
        run = get_run(api, code, number, include="cases")
        assert run["id"] == run["run_id"] == number == 1
        assert (run["title"], run["description"]) == ("Release 1.2", "Full regression")
        assert run["cases"] == cases[:2]
        assert run["status"] == 0 and run["status_text"] == "in_progress"
        assert run["start_time"] == "2026-11-22T17:08:56+00:00" and run["end_time"] is None
        assert run["environment"] == {
            "title": "Staging",
            "description": "",
            "slug": "staging",
            "host": "staging.example.com",
        }
        assert run["milestone"]["title"] == "Milestone"
        assert run["configurations"] == [config]
        assert sorted(t["title"] for t in run["tags"]) == ["ci", "release"]
        assert run["stats"]["total"] == 2 and run["stats"]["untested"] == 2
        assert run["stats"]["statuses"] == {"untested": 2}
        assert run["public"] is False and run["plan_id"] is None and run["external_issue"] is None

    def test_environment_by_slug(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_environment(api, code, "prod")
        run = get_run(api, code, make_run(api, code, environment_slug="prod"))
        assert run["environment"]["slug"] == "prod"

    def test_include_all_cases_skips_deleted_ones(self, api: httpx.Client) -> None:
        code = make_project(api)
        first, gone, last = (make_case(api, code) for _ in range(3))
        ok(api.delete(f"/v1/case/{code}/{gone}"))
        run = get_run(api, code, make_run(api, code, include_all_cases=True), include="cases")
        assert run["cases"] == [first, last]

    def test_cases_is_omitted_unless_included(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_run(api, code, cases=[make_case(api, code)])
        assert "cases" not in get_run(api, code, number)

    def test_numbers_per_project(self, api: httpx.Client) -> None:
        first, second = make_project(api), make_project(api)
        assert [make_run(api, first), make_run(api, first), make_run(api, second)] == [1, 2, 1]

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"cases": [999]}, "cases"),
            ({"cases": "1"}, "cases"),
            ({"milestone_id": 999}, "milestone_id"),
            ({"environment_id": 999}, "environment_id"),
            ({"environment_slug": "nowhere"}, "environment_slug"),
            ({"plan_id": 999}, "plan_id"),
            ({"configurations": [999]}, "configurations"),
            ({"author_id": 999999}, "author_id"),
            ({"start_time": "soon"}, "start_time"),
            ({"tags": [""]}, "tags"),
            ({"custom_field": {"abc": "x"}}, "custom_field[abc]"),
            ({"is_autotest": "yes"}, "is_autotest"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, fields: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/run/{code}", json={"title": "Bad", **fields})
        assert response.status_code == 422, response.text
        assert field in [f["field"] for f in response.json()["errorFields"]]
        assert ok(api.get(f"/v1/run/{code}"))["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as("viewer").post(f"/v1/run/{code}", json={"title": "x"}).status_code == 403


class TestCompleteRun:
    def test_complete_is_idempotent(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_run(api, code)
        assert api.post(f"/v1/run/{code}/{number}/complete").json() == {"status": True}
        done = get_run(api, code, number)
        assert done["status"] == 1 and done["status_text"] == "passed" and done["end_time"]
        assert api.post(f"/v1/run/{code}/{number}/complete").status_code == 200
        assert get_run(api, code, number)["end_time"] == done["end_time"]

    def test_counts_follow_completion(self, api: httpx.Client) -> None:
        code = make_project(api)
        first = make_run(api, code)
        make_run(api, code)
        assert api.post(f"/v1/run/{code}/{first}/complete").status_code == 200
        counts = ok(api.get(f"/v1/project/{code}"))["counts"]["runs"]
        assert counts == {"total": 2, "active": 1}

    def test_member_may_complete_viewer_may_not(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        code = make_project(api)
        number = make_run(api, code)
        assert client_as("viewer").post(f"/v1/run/{code}/{number}/complete").status_code == 403
        assert client_as("member").post(f"/v1/run/{code}/{number}/complete").status_code == 200


class TestListRuns:
    def test_filters(self, api: httpx.Client) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        env = make_environment(api, code, "qa")
        old = make_run(api, code, title="Old smoke", start_time="2020-01-01 00:00:00")
        mine = make_run(api, code, title="Release", milestone_id=milestone, environment_id=env)
        done = make_run(api, code, title="Done smoke")
        assert api.post(f"/v1/run/{code}/{done}/complete").status_code == 200

        def ids(**params: Any) -> list[int]:
            return [
                r["id"]
                for r in ok(api.get(f"/v1/run/{code}", params={"limit": 100, **params}))["entities"]
            ]

        assert ids() == [done, mine, old]
        assert ids(search="SMOKE") == [done, old]
        assert ids(status="in_progress") == [mine, old] == ids(status="active")
        assert ids(status="passed,failed") == [done] == ids(status="complete")
        assert ids(milestone=milestone) == [mine] and ids(environment=env) == [mine]
        cutoff = int(time.time()) - 3600
        assert ids(from_start_time=cutoff) == [done, mine]
        assert ids(to_start_time=cutoff) == [old]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "running"}, "status"),
            ({"milestone": "x"}, "milestone"),
            ({"include": "steps"}, "include"),
            ({"from_start_time": -1}, "from_start_time"),
        ],
    )
    def test_bad_filters_are_400(
        self, api: httpx.Client, params: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/run/{code}", params=params)
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == field


class TestUpdateAndDelete:
    def test_update_changes_only_given_fields(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_run(api, code, description="keep", tags=["a"])
        assert api.patch(
            f"/v1/run/{code}/{number}", json={"title": "Renamed", "tags": ["b"]}
        ).json() == {"status": True}
        run = get_run(api, code, number)
        assert run["title"] == "Renamed" and run["description"] == "keep"
        assert [t["title"] for t in run["tags"]] == ["b"]

    def test_delete(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_run(api, code)
        assert ok(api.delete(f"/v1/run/{code}/{number}")) == {"id": number}
        assert api.get(f"/v1/run/{code}/{number}").status_code == 404
        assert api.delete(f"/v1/run/{code}/{number}").status_code == 404

    def test_other_projects_run_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_run(api, other)
        assert api.get(f"/v1/run/{code}/1").status_code == 404


class TestPublicAndIssues:
    def test_public_link_is_served_without_a_token_until_made_private(
        self, api: httpx.Client
    ) -> None:
        code = make_project(api)
        number = make_run(api, code, title="Shared", cases=[make_case(api, code)])
        url = ok(api.patch(f"/v1/run/{code}/{number}/public", json={"status": True}))["url"]
        page = httpx.get(url)
        assert page.status_code == 200 and page.json()["result"]["run"]["title"] == "Shared"
        assert get_run(api, code, number)["public"] is True
        ok(api.patch(f"/v1/run/{code}/{number}/public", json={"status": False}))
        assert httpx.get(url).status_code == 404

    def test_external_issue_is_one_per_run(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_run(api, code)
        body = {"type": "jira-cloud", "links": [{"run_id": number, "external_issue": "REL-1"}]}
        assert api.post(f"/v1/run/{code}/external-issue", json=body).status_code == 200
        body["links"][0]["external_issue"] = "REL-2"
        api.post(f"/v1/run/{code}/external-issue", json=body)
        assert get_run(api, code, number)["external_issue"]["id"] == "REL-2"
        body["links"][0]["external_issue"] = None
        api.post(f"/v1/run/{code}/external-issue", json=body)
        assert get_run(api, code, number)["external_issue"] is None
        missing = api.post(
            f"/v1/run/{code}/external-issue", json={"type": "jira-cloud", "links": [{"run_id": 99}]}
        )
        assert missing.status_code == 422
