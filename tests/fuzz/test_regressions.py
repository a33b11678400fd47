"""What the fuzzer found, pinned: one test per finding, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import make_project
from tests.live import LiveServer

# The fuzzer's findings were dialect-specific (integer ranges, NUL bytes).
pytestmark = pytest.mark.both_backends

TOO_BIG_FOR_64_BITS = 2**70


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


class TestCustomFieldIdBeyond64Bits:
    """`/v1/custom_field/{id}` passed any integer to the database: SQLite cannot bind one wider
    than 64 bits, and the request failed with a 500."""

    @pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
    def test_is_a_400_naming_the_id(self, api: httpx.Client, method: str) -> None:
        response = api.request(
            method,
            f"/v1/custom_field/{TOO_BIG_FOR_64_BITS}",
            json={"title": "Renamed"} if method == "PATCH" else None,
        )
        assert response.status_code == 400, response.text
        assert [f["field"] for f in response.json()["errorFields"]] == ["id"]

    def test_the_largest_id_is_a_404(self, api: httpx.Client) -> None:
        response = api.get(f"/v1/custom_field/{2**63 - 1}")
        assert response.status_code == 404, response.text


class TestRunExternalIssueLink:
    """A run linked to an issue by id (`REL-1`, not a URL) answered `"link": ""`, which the
    contract's `format: uri` refuses; the link is now left out when there is no URL."""

    def _run_linked_to(self, api: httpx.Client, issue: str) -> dict[str, Any]:
        code = make_project(api)
        number = ok(api.post(f"/v1/run/{code}", json={"title": "Nightly"}))["id"]
        body = {"type": "jira-cloud", "links": [{"run_id": number, "external_issue": issue}]}
        assert api.post(f"/v1/run/{code}/external-issue", json=body).status_code == 200
        issue_seen: dict[str, Any] = ok(api.get(f"/v1/run/{code}/{number}"))["external_issue"]
        return issue_seen

    def test_an_issue_given_by_id_has_no_link(self, api: httpx.Client) -> None:
        assert self._run_linked_to(api, "REL-1") == {"id": "REL-1", "type": "jira-cloud"}

    def test_an_issue_given_by_url_links_to_it(self, api: httpx.Client) -> None:
        url = "https://example.atlassian.net/browse/REL-2"
        assert self._run_linked_to(api, url) == {"id": "REL-2", "link": url, "type": "jira-cloud"}


@pytest.fixture(scope="module")
def document(server: LiveServer) -> dict[str, Any]:
    """The OpenAPI document the live server publishes."""
    response = httpx.get(f"{server.url}/openapi.json", timeout=30)
    assert response.status_code == 200
    published: dict[str, Any] = response.json()
    return published


class TestOpenApiErrorResponses:
    """Our OpenAPI document promised FastAPI's `{"detail": [...]}` 422 on every operation and no
    other error; every error is our envelope, and 400/401/403/404 were undocumented."""

    def test_every_error_is_the_envelope(self, document: dict[str, Any]) -> None:
        envelope = {"$ref": "#/components/schemas/ErrorResponse"}
        errors = [
            (path, method, status, response["content"]["application/json"]["schema"])
            for path, item in document["paths"].items()
            for method, operation in item.items()
            for status, response in operation["responses"].items()
            if status.startswith(("4", "5"))
        ]
        assert errors
        assert all(schema == envelope for *_, schema in errors), errors
        assert "HTTPValidationError" not in document["components"]["schemas"]
        assert document["components"]["schemas"]["ErrorResponse"]["required"] == [
            "status",
            "errorMessage",
            "errorFields",
        ]

    @pytest.mark.parametrize(
        ("path", "method", "statuses"),
        [
            ("/v1/project", "get", ["200", "400", "401", "403", "406", "429"]),
            (
                "/v1/suite/{code}/{id}",
                "delete",
                ["200", "400", "401", "403", "404", "406", "413", "422", "429", "503"],
            ),
            ("/v1/run/{code}/{id}", "get", ["200", "400", "401", "403", "404", "406", "429"]),
            # A `project` filter naming no visible project is a 404, declared by the route.
            ("/v1/audit_log", "get", ["200", "400", "401", "403", "404", "406", "429"]),
        ],
    )
    def test_each_operation_lists_what_it_can_answer(
        self, document: dict[str, Any], path: str, method: str, statuses: list[str]
    ) -> None:
        assert sorted(document["paths"][path][method]["responses"]) == statuses

    def test_a_bad_query_parameter_is_a_documented_400(
        self, api: httpx.Client, document: dict[str, Any]
    ) -> None:
        response = api.get("/v1/project", params={"limit": 0})
        assert response.status_code == 400
        assert "400" in document["paths"]["/v1/project"]["get"]["responses"]


class TestCaseNumbersRunOut:
    """A bulk import may give a case the largest id (2**31 - 1); the project's counter then sat at
    the top, and the next case overflowed PostgreSQL's integer column (500) or, on SQLite, got a
    number no route accepts."""

    LARGEST = 2**31 - 1

    def test_the_next_case_is_a_422_and_nothing_is_written(self, api: httpx.Client) -> None:
        code = make_project(api)
        imported = {"cases": [{"title": "Imported", "id": self.LARGEST}]}
        assert ok(api.post(f"/v1/case/{code}/bulk", json=imported))["ids"] == [self.LARGEST]

        one = api.post(f"/v1/case/{code}", json={"title": "Next"})
        more = api.post(f"/v1/case/{code}/bulk", json={"cases": [{"title": "A"}, {"title": "B"}]})
        for response in (one, more):
            assert response.status_code == 422, response.text
            assert "no case numbers left" in response.json()["errorMessage"]
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 1

    def test_other_kinds_keep_numbering(self, api: httpx.Client) -> None:
        code = make_project(api)
        imported = {"cases": [{"title": "Imported", "id": self.LARGEST}]}
        ok(api.post(f"/v1/case/{code}/bulk", json=imported))
        assert ok(api.post(f"/v1/suite/{code}", json={"title": "Suite"}))["id"] == 1


class TestExternalIssueIdLongerThanItsColumn:
    """Issue references may be 2048 characters (URLs), but the issue id kept from one is at most
    255: a longer id failed PostgreSQL's insert with a 500."""

    LONG_ID = "REL-" + "1" * 300

    def test_a_run_link_is_a_422_naming_the_issue(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = ok(api.post(f"/v1/run/{code}", json={"title": "Nightly"}))["id"]
        body = {"type": "jira-cloud", "links": [{"run_id": number, "external_issue": self.LONG_ID}]}
        response = api.post(f"/v1/run/{code}/external-issue", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errorFields"][0]["field"] == "links[0].external_issue"
        assert ok(api.get(f"/v1/run/{code}/{number}"))["external_issue"] is None

    def test_a_case_link_is_a_422_naming_the_issue(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = ok(api.post(f"/v1/case/{code}", json={"title": "Login"}))["id"]
        body = {
            "type": "jira-cloud",
            "links": [{"case_id": number, "external_issues": ["REL-1", self.LONG_ID]}],
        }
        response = api.post(f"/v1/case/{code}/external-issue/attach", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errorFields"][0]["field"] == "links[0].external_issues[1]"

    def test_a_long_url_keeps_its_short_id(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = ok(api.post(f"/v1/run/{code}", json={"title": "Nightly"}))["id"]
        url = "https://tracker.example/" + "a" * 1500 + "/REL-9"
        body = {"type": "jira-cloud", "links": [{"run_id": number, "external_issue": url}]}
        assert api.post(f"/v1/run/{code}/external-issue", json=body).status_code == 200
        assert ok(api.get(f"/v1/run/{code}/{number}"))["external_issue"]["id"] == "REL-9"


class TestJsonIntegersWiderThan64Bits:
    """JSON allows any integer, and a project's free-form `settings` may hold one; orjson, which
    writes JSON columns, refuses those past 64 bits, and the create failed with a 500."""

    def test_a_project_with_such_settings_is_created(self, api: httpx.Client) -> None:
        settings = {"limits": [TOO_BIG_FOR_64_BITS, -TOO_BIG_FOR_64_BITS], "nested": {"n": 1}}
        code = make_project(api, settings=settings)
        assert ok(api.get(f"/v1/project/{code}"))["code"] == code
