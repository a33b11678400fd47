"""v2 results, as the official reporters send them: matched or created cases, idempotent batches,
202 answers, the run kept right. Through raw HTTP and the official `qase-api-v2-client`."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from qase.api_client_v2 import models as v2
from qase.api_client_v2.api.results_api import ResultsApi

from tests.cases.helpers import make_case, ok, upload
from tests.factories import make_project
from tests.runs.test_endpoints import get_run, make_run

# Ingestion: driver-level bulk inserts, project locks and run-case upserts differ by dialect.
pytestmark = pytest.mark.both_backends


def result(title: str, status: str = "passed", **extra: Any) -> dict[str, Any]:
    now = time.time()
    body: dict[str, Any] = {
        "title": title,
        "execution": {
            "status": status,
            "start_time": now - 1.5,
            "end_time": now,
            "duration": 1500,
            "thread": "1-MainThread",
        },
        "relations": {"suite": {"data": [{"title": "tests"}, {"title": "test_shop.py"}]}},
        "signature": f"tests::test_shop.py::{title}",
    }
    body.update(extra)
    return body


def send(api: httpx.Client, code: str, run: int, *results: dict[str, Any]) -> httpx.Response:
    return api.post(f"/v2/{code}/run/{run}/results", json={"results": list(results)})


def run_results(api: httpx.Client, code: str, run: int) -> list[dict[str, Any]]:
    entities: list[dict[str, Any]] = ok(
        api.get(f"/v1/result/{code}", params={"run": str(run), "limit": 100})
    )["entities"]
    return entities


class TestBulk:
    def test_autotests_get_cases_in_their_suite_path_and_keep_them(self, api: httpx.Client) -> None:
        code = make_project(api)
        first_run = make_run(api, code, is_autotest=True)
        response = send(
            api,
            code,
            first_run,
            result("test_pay"),
            result("test_refund", "failed", message="boom"),
        )
        assert response.status_code == 202 and response.json() == {"status": True}
        stored = {r["status"]: r for r in run_results(api, code, first_run)}
        assert stored["failed"]["comment"] == "boom" and stored["passed"]["time_spent_ms"] == 1500
        cases = ok(api.get(f"/v1/case/{code}", params={"limit": 100}))["entities"]
        assert sorted(c["title"] for c in cases) == ["test_pay", "test_refund"]
        suites = {s["id"]: s for s in ok(api.get(f"/v1/suite/{code}"))["entities"]}
        leaf = suites[cases[0]["suite_id"]]
        assert leaf["title"] == "test_shop.py" and suites[leaf["parent_id"]]["title"] == "tests"

        second_run = make_run(api, code, is_autotest=True)
        send(api, code, second_run, result("test_pay"), result("test_refund"))
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 2, (
            "the second session maps to the same cases"
        )
        assert {r["case_id"] for r in run_results(api, code, second_run)} == {
            c["id"] for c in cases
        }
        assert get_run(api, code, second_run)["stats"]["statuses"] == {"passed": 2}

    def test_testops_ids_name_the_cases(self, api: httpx.Client) -> None:
        code = make_project(api)
        first, second = make_case(api, code), make_case(api, code)
        run = make_run(api, code)
        send(
            api,
            code,
            run,
            result("several", "failed", testops_ids=[first, second]),
            result("one", testops_id=first),
        )
        stats = get_run(api, code, run)["stats"]["statuses"]
        assert stats == {"passed": 1, "failed": 1}
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 2, "no case was created"

    def test_the_same_id_twice_is_stored_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        run = make_run(api, code)
        key = str(uuid.uuid4())
        batch = [result("test_a", id=key), result("test_b", id=str(uuid.uuid4()))]
        assert send(api, code, run, *batch).status_code == 202
        assert send(api, code, run, *batch).status_code == 202
        assert (
            send(api, code, run, result("test_a", id=key), result("test_a", id=key)).status_code
            == 202
        )
        assert len(run_results(api, code, run)) == 2

    def test_steps_attachments_and_fields(self, api: httpx.Client) -> None:
        code = make_project(api)
        run = make_run(api, code)
        shot = upload(api, code, "shot.png", b"png")
        log = upload(api, code, "log.txt", b"log")
        body = result(
            "test_steps",
            "failed",
            attachments=[log],
            fields={
                "severity": "critical",
                "description": "Checks steps",
                "tags": "ui, smoke",
                "severity_x": "?",
            },
            steps=[
                {
                    "data": {"action": "Open", "expected_result": "Shown"},
                    "execution": {"status": "passed", "duration": 10},
                    "steps": [
                        {
                            "data": {"action": "Inner"},
                            "execution": {"status": "failed", "attachments": [shot]},
                        }
                    ],
                }
            ],
        )
        assert send(api, code, run, body).status_code == 202
        stored = run_results(api, code, run)[0]
        assert [a["filename"] for a in stored["attachments"]] == ["log.txt"]
        assert stored["steps"][0]["action"] == "Open" and stored["steps"][0]["status"] == 1
        inner = stored["steps"][0]["steps"][0]
        assert inner["status"] == 2 and [a["filename"] for a in inner["attachments"]] == [
            "shot.png"
        ]
        case = ok(api.get(f"/v1/case/{code}/{stored['case_id']}"))
        assert case["severity"] == 2 and case["description"] == "Checks steps"
        assert sorted(t["title"] for t in case["tags"]) == ["smoke", "ui"]

    def test_steps_type_is_stored_as_sent(self, api: httpx.Client) -> None:
        """Gherkin results keep `steps_type` (the reporters send it; absent reads as classic)."""
        code = make_project(api)
        run = make_run(api, code)
        given = {
            "data": {"action": "Given a cart", "input_data": "2 items"},
            "execution": {"status": "passed"},
        }
        sent = [
            result("test_gherkin", steps_type="gherkin", steps=[given]),
            result("test_classic", steps_type="classic"),
            result("test_unsaid"),
        ]
        assert send(api, code, run, *sent).status_code == 202
        single = api.post(
            f"/v2/{code}/run/{run}/result", json=result("test_one", steps_type="gherkin")
        )
        assert single.status_code == 202
        by_hash = {r["hash"]: r for r in run_results(api, code, run)}
        read = ok(api.get(f"/v1/result/{code}/{single.json()['result']['hash']}"))
        assert read["steps_type"] == "gherkin"
        by_title = {
            ok(api.get(f"/v1/case/{code}/{r['case_id']}"))["title"]: r for r in by_hash.values()
        }
        assert {title: r["steps_type"] for title, r in by_title.items()} == {
            "test_gherkin": "gherkin",
            "test_classic": "classic",
            "test_unsaid": "classic",
            "test_one": "gherkin",
        }
        assert by_title["test_gherkin"]["steps"][0]["action"] == "Given a cart"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"execution": {"status": "exploded"}}, "results[1].execution.status"),
            ({"testops_ids": [999]}, "results[1].testops_ids"),
            ({"testops_id": 1, "testops_ids": [1]}, "results[1].testops_ids"),
            ({"attachments": ["nope"]}, "results[1].attachments"),
            ({"steps": [{"execution": {"status": "meh"}}]}, "results[1].steps[0].execution.status"),
            ({"title": ""}, "results[1].title"),
        ],
    )
    def test_bad_batches_are_refused_whole(
        self, api: httpx.Client, change: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        run = make_run(api, code)
        response = send(api, code, run, result("good"), {**result("bad"), **change})
        assert response.status_code == 422, response.text
        assert field in [f["field"] for f in response.json()["errorFields"]]
        assert run_results(api, code, run) == []
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 0, "no case was created either"

    def test_limits_and_closed_runs(self, api: httpx.Client) -> None:
        code = make_project(api)
        run = make_run(api, code)
        too_many = api.post(f"/v2/{code}/run/{run}/results", json={"results": [result("t")] * 2001})
        assert too_many.status_code == 413
        context = result("t", execution={"status": "failed", "error_context": "x" * 2_200_000})
        assert send(api, code, run, context, context).status_code == 413
        api.post(f"/v1/run/{code}/{run}/complete")
        closed = send(api, code, run, result("late"))
        assert closed.status_code == 422 and "completed" in closed.json()["errorMessage"]
        assert api.post(f"/v2/{code}/run/999/results", json={"results": []}).status_code == 404


def test_single_result_and_the_official_client(
    api: httpx.Client, qase_v2_for: Callable[..., Any]
) -> None:
    code = make_project(api)
    run = make_run(api, code)
    single = api.post(f"/v2/{code}/run/{run}/result", json=result("test_single"))
    assert single.status_code == 202 and single.json()["result"]["case_id"] == 1

    results = ResultsApi(qase_v2_for())
    now = time.time()
    batch = v2.CreateResultsRequestV2(
        results=[
            v2.ResultCreate(
                id=str(uuid.uuid4()),
                title="test_client",
                signature="tests::test_client",
                execution=v2.ResultExecution(
                    status="passed", start_time=now - 1, end_time=now, duration=1000
                ),
                relations=v2.ResultRelations(
                    suite=v2.RelationSuite(data=[v2.RelationSuiteItem(title="client")])
                ),
                steps=[
                    v2.ResultStep(
                        data=v2.ResultStepData(action="Go"),
                        execution=v2.ResultStepExecution(status="passed"),
                    )
                ],
            )
        ]
    )
    results.create_results_v2(code, run, batch)
    results.create_results_v2(code, run, batch)
    one = results.create_result_v2(
        code,
        run,
        v2.ResultCreate(
            title="test_client_single",
            execution=v2.ResultExecution(status="skipped"),
        ),
    )
    assert one.status is True
    statuses = get_run(api, code, run)["stats"]["statuses"]
    assert statuses == {"passed": 2, "skipped": 1}
