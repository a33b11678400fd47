"""JSON that no column can store as sent: a lone UTF-16 surrogate (`"\\ud83d"`), NaN and Infinity.

Authored text with a lone surrogate, and any NaN or Infinity, is a 422 naming the field, on every
body; a result is never lost for a lone surrogate: it is stored with U+FFFD in its place (v1 and
v2, one result or a batch). Each of these was a 500 (or NaN stored as null) before.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.factories import make_project, unique_code

# What a column can store differs by dialect (lone surrogates, NaN).
pytestmark = pytest.mark.both_backends

LONE = "\ud83d"  # the high half of 😀, alone
REPLACED = "\ufffd"


def send(api: httpx.Client, method: str, path: str, body: Any) -> httpx.Response:
    """`json.dumps` escapes a lone surrogate as `\\ud83d` (httpx's `json=` cannot encode one)."""
    return api.request(
        method, path, content=json.dumps(body), headers={"Content-Type": "application/json"}
    )


def refused_field(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    (field,) = response.json()["errorFields"]
    return field["field"], field["error"]


@pytest.fixture
def project(api: httpx.Client) -> str:
    """A project with case 1 and run 1 (holding it)."""
    code = make_project(api)
    assert api.post(f"/v1/case/{code}", json={"title": "A case"}).status_code == 200
    run = api.post(f"/v1/run/{code}", json={"title": "A run", "cases": [1]})
    assert run.status_code == 200, run.text
    return code


AUTHORED: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/v1/case/{code}", {"title": "t", "description": LONE}, "description"),
    ("POST", "/v1/case/{code}", {"title": "t", "preconditions": f"a{LONE}b"}, "preconditions"),
    ("POST", "/v1/case/{code}", {"title": "t", "tags": ["fine", LONE]}, "tags[1]"),
    ("POST", "/v1/case/{code}", {"title": "t", "steps": [{"action": LONE}]}, "steps[0].action"),
    ("POST", "/v1/case/{code}", {"title": "t", "params": {"os": ["a", LONE]}}, "params.os[1]"),
    ("POST", "/v1/case/{code}", {"title": "t", "params": {LONE: ["a"]}}, "params.\\ud83d"),
    (
        "POST",
        "/v1/case/{code}/bulk",
        {"cases": [{"title": "a"}, {"title": LONE}]},
        "cases[1].title",
    ),
    ("PATCH", "/v1/case/{code}/1", {"description": LONE}, "description"),
    (
        "POST",
        "/v1/shared_step/{code}",
        {"title": "s", "steps": [{"action": LONE}]},
        "steps[0].action",
    ),
    (
        "POST",
        "/v1/shared_step/{code}",
        {"title": "s", "steps": [{"action": "a", "data": LONE}]},
        "steps[0].data",
    ),
    (
        "POST",
        "/v1/shared_parameter",
        {
            "title": "p",
            "type": "single",
            "project_codes": ["{code}"],
            "is_enabled_for_all_projects": False,
            "parameters": [{"title": "Browser", "values": ["Chrome", LONE]}],
        },
        "parameters[0].values[1]",
    ),
    ("POST", "/v1/review/{code}", {"proposed_case": {"title": LONE}}, "proposed_case.title"),
    ("POST", "/v1/suite/{code}", {"title": LONE}, "title"),
    ("POST", "/v1/milestone/{code}", {"title": "m", "description": LONE}, "description"),
    ("POST", "/v1/run/{code}", {"title": LONE, "cases": [1]}, "title"),
    ("POST", "/v1/environment/{code}", {"title": "e", "slug": "e", "host": LONE}, "host"),
    (
        "POST",
        "/v1/defect/{code}",
        {"title": "d", "actual_result": LONE, "severity": 1},
        "actual_result",
    ),
    ("POST", "/v1/project", {"title": LONE, "code": "{new}"}, "title"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), AUTHORED)
def test_a_lone_surrogate_in_authored_text_is_422_naming_the_field(
    api: httpx.Client, project: str, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    filled = json.loads(json.dumps(body).replace("{code}", project).replace("{new}", unique_code()))
    response = send(api, method, path.format(code=project), filled)
    name, error = refused_field(response)
    assert name == field
    assert "surrogate" in error


def test_a_surrogate_pair_and_an_escaped_backslash_are_text(
    api: httpx.Client, project: str
) -> None:
    """Only a lone half is refused: `\\ud83d\\ude00` is 😀, and `\\\\ud83d` is six characters."""
    description = "😀 and \\ud83d"
    response = send(api, "POST", f"/v1/case/{project}", {"title": "t", "description": description})
    assert response.status_code == 200, response.text
    number = response.json()["result"]["id"]
    stored = api.get(f"/v1/case/{project}/{number}").json()["result"]["description"]
    assert stored == description


def result(api: httpx.Client, code: str, hash_: str) -> dict[str, Any]:
    response = api.get(f"/v1/result/{code}/{hash_}")
    assert response.status_code == 200, response.text
    return dict(response.json()["result"])


class TestResultsKeepTheirText:
    def test_v1_result_comment_stacktrace_and_step(self, api: httpx.Client, project: str) -> None:
        body = {
            "case_id": 1,
            "status": "failed",
            "comment": f"before {LONE} after",
            "stacktrace": LONE,
            "steps": [{"status": "failed", "comment": LONE, "action": LONE}],
        }
        response = send(api, "POST", f"/v1/result/{project}/1", body)
        assert response.status_code == 200, response.text
        stored = result(api, project, response.json()["result"]["hash"])
        assert stored["comment"] == f"before {REPLACED} after"
        assert stored["stacktrace"] == REPLACED
        assert stored["steps"][0]["comment"] == REPLACED
        assert stored["steps"][0]["action"] == REPLACED

    def test_v1_bulk_stores_every_result(self, api: httpx.Client, project: str) -> None:
        results = [
            {"case_id": 1, "status": "passed", "comment": "fine"},
            {"case_id": 1, "status": "failed", "stacktrace": f"x{LONE}", "comment": "😀"},
        ]
        response = send(api, "POST", f"/v1/result/{project}/1/bulk", {"results": results})
        assert response.status_code == 200, response.text
        listed = api.get(f"/v1/result/{project}", params={"limit": 10}).json()["result"]
        by_comment = {entity["comment"]: entity for entity in listed["entities"]}
        assert set(by_comment) == {"fine", "😀"}
        assert by_comment["😀"]["stacktrace"] == f"x{REPLACED}"

    def test_v1_update(self, api: httpx.Client, project: str) -> None:
        created = api.post(f"/v1/result/{project}/1", json={"case_id": 1, "status": "passed"})
        hash_ = created.json()["result"]["hash"]
        response = send(api, "PATCH", f"/v1/result/{project}/1/{hash_}", {"comment": LONE})
        assert response.status_code == 200, response.text
        assert result(api, project, hash_)["comment"] == REPLACED

    def test_v2_result_and_batch(self, api: httpx.Client, project: str) -> None:
        one = {
            "title": f"test {LONE}",
            "execution": {"status": "failed", "stacktrace": f"{LONE}!"},
            "message": LONE,
            "params": {"browser": LONE},
            "steps": [{"data": {"action": LONE}, "execution": {"status": "failed"}}],
        }
        response = send(api, "POST", f"/v2/{project}/run/1/result", one)
        assert response.status_code == 202, response.text
        stored = result(api, project, response.json()["result"]["hash"])
        assert stored["comment"] == REPLACED
        assert stored["stacktrace"] == f"{REPLACED}!"
        assert stored["steps"][0]["action"] == REPLACED

        batch = {"results": [{**one, "id": None, "message": f"second {LONE}"}]}
        response = send(api, "POST", f"/v2/{project}/run/1/results", batch)
        assert response.status_code == 202, response.text
        listed = api.get(f"/v1/result/{project}", params={"limit": 10}).json()["result"]
        assert f"second {REPLACED}" in {entity["comment"] for entity in listed["entities"]}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/case/{code}?search=%ED%A0%BD",
        "/v1/suite/{code}?search=%ED%A0%BD",
        "/v1/milestone/{code}?search=%ED%A0%BD",
        "/v1/shared_step/{code}?search=%ED%A0%BD",
        "/v1/run/{code}?search=%ED%A0%BD",
        "/v1/environment/{code}?search=%ED%A0%BD",
        "/v1/defect/{code}?status=%ED%A0%BD",
        "/v1/author?search=%ED%A0%BD",
        "/v1/project/%ED%A0%BD",
        "/v1/case/{code}/%ED%A0%BD",
        "/v1/result/{code}/%ED%A0%BD",
        "/v1/shared_parameter/%ED%A0%BD",
    ],
)
def test_a_surrogate_in_a_query_or_path_is_not_a_500(
    api: httpx.Client, project: str, path: str
) -> None:
    """Bytes that would spell a surrogate are not UTF-8: they decode to U+FFFD, never to one."""
    response = api.get(path.format(code=project))
    assert response.status_code < 500, response.text


NON_FINITE: list[tuple[str, str, str, str]] = [
    (
        "POST",
        "/v1/project",
        '{"title": "p", "code": "{new}", "settings": {"x": NaN}}',
        "settings.x",
    ),
    ("POST", "/v1/case/{code}", '{"title": "t", "severity": Infinity}', "severity"),
    (
        "POST",
        "/v1/run/{code}",
        '{"title": "r", "cloud_run_config": {"n": -Infinity}}',
        "cloud_run_config.n",
    ),
    (
        "POST",
        "/v1/shared_step/{code}",
        '{"title": "s", "steps": [{"action": "a", "x": 1e999}]}',
        "steps[0].x",
    ),
    (
        "POST",
        "/v1/result/{code}/1",
        '{"case_id": 1, "status": "passed", "time_ms": NaN}',
        "time_ms",
    ),
    (
        "POST",
        "/v2/{code}/run/1/result",
        '{"title": "t", "execution": {"status": "passed", "start_time": NaN}}',
        "execution.start_time",
    ),
    (
        "POST",
        "/v2/{code}/run/1/results",
        '{"results": [{"title": "t", "execution": {"status": "passed", "end_time": Infinity}}]}',
        "results[0].execution.end_time",
    ),
]


@pytest.mark.parametrize(("method", "path", "text", "field"), NON_FINITE)
def test_nan_and_infinity_are_422_naming_the_field(
    api: httpx.Client, project: str, method: str, path: str, text: str, field: str
) -> None:
    response = api.request(
        method,
        path.format(code=project),
        content=text.replace("{new}", unique_code()),
        headers={"Content-Type": "application/json"},
    )
    name, error = refused_field(response)
    assert name == field
    assert "NaN and Infinity" in error


def test_nan_in_text_is_only_text(api: httpx.Client, project: str) -> None:
    """The words themselves are fine, and so are large exponents that stay finite."""
    code = unique_code()
    body = f'{{"title": "NaN or Infinity?", "settings": {{"big": 1e300}}, "code": "{code}"}}'
    response = api.post("/v1/project", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"testops_ids": [2**70]}, "testops_ids[0]"),
        ({"testops_ids": [1, 2**63]}, "testops_ids[1]"),
        (
            {"steps": [{"execution": {"status": "passed", "duration": 2**70}}]},
            "steps[0].execution.duration",
        ),
        (
            {"steps": [{"execution": {"status": "passed", "duration": 2**63}}]},
            "steps[0].execution.duration",
        ),
    ],
)
def test_v2_integers_beyond_64_bits_are_422_naming_the_field(
    api: httpx.Client, project: str, body: dict[str, Any], field: str
) -> None:
    one = {"title": "t", "execution": {"status": "passed"}, **body}
    response = api.post(f"/v2/{project}/run/1/result", json=one)
    assert refused_field(response)[0] == field
    response = api.post(f"/v2/{project}/run/1/results", json={"results": [one]})
    assert refused_field(response)[0] == f"results[0].{field}"
