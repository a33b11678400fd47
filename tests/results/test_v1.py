"""v1 results over HTTP: create (one, bulk), read, filter, update, delete, and the run they feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.cases.helpers import make_case, ok, upload
from tests.factories import make_project
from tests.runs.test_endpoints import get_run, make_run

# Ingestion: driver-level bulk inserts, project locks and run-case upserts differ by dialect.
pytestmark = pytest.mark.both_backends


def post_result(api: httpx.Client, code: str, run: int, **fields: Any) -> httpx.Response:
    return api.post(f"/v1/result/{code}/{run}", json=fields)


@pytest.fixture
def setup(api: httpx.Client) -> tuple[str, int, list[int]]:
    code = make_project(api)
    cases = [make_case(api, code, title=f"Case {i}") for i in range(3)]
    return code, make_run(api, code, cases=cases), cases


class TestCreateResult:
    def test_full_result_reads_back_and_moves_the_run(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        file_hash = upload(api, code, "log.txt", b"trace")
        shot = upload(api, code, "shot.png", b"png")
        created = ok(
            post_result(
                api,
                code,
                run,
                case_id=cases[0],
                status="failed",
                time_ms=1500,
                start_time=1_700_000_000,
                comment="Total is wrong",
                stacktrace="AssertionError",
                attachments=[file_hash],
                param={"browser": "chrome"},
                param_groups=[["browser"]],
                steps=[
                    {"status": "passed", "action": "Open"},
                    {
                        "status": "failed",
                        "comment": "400",
                        "attachments": [shot],
                        "steps": [{"status": "blocked", "action": "Inner"}],
                    },
                ],
            )
        )
        assert created["case_id"] == cases[0] and len(created["hash"]) == 40
        result = ok(api.get(f"/v1/result/{code}/{created['hash']}"))
        assert (result["status"], result["run_id"], result["case_id"]) == ("failed", run, cases[0])
        assert result["hash"] == result["result_hash"] == created["hash"]
        assert (result["comment"], result["stacktrace"], result["time_spent_ms"]) == (
            "Total is wrong",
            "AssertionError",
            1500,
        )
        assert result["end_time"] == "2023-11-14T22:13:21+00:00"
        assert result["is_api_result"] is True
        assert [a["filename"] for a in result["attachments"]] == ["log.txt"]
        first, second = result["steps"]
        assert (first["status"], first["position"], second["status"], second["comment"]) == (
            1,
            1,
            2,
            "400",
        )
        assert [a["filename"] for a in second["attachments"]] == ["shot.png"]
        assert second["steps"][0]["status"] == 3
        stats = get_run(api, code, run)["stats"]
        assert (
            stats["statuses"] == {"failed": 1, "untested": 2}
            and stats["failed"] == 1
            and stats["total"] == 3
        )
        assert get_run(api, code, run)["time_spent"] == 1500

    def test_newest_result_sets_the_case_status(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        post_result(api, code, run, case_id=cases[0], status="failed")
        post_result(api, code, run, case_id=cases[0], status="passed")
        assert get_run(api, code, run)["stats"]["statuses"] == {"passed": 1, "untested": 2}

    def test_a_case_outside_the_run_joins_it(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, _ = setup
        extra = make_case(api, code, title="Late")
        ok(post_result(api, code, run, case_id=extra, status="passed"))
        assert extra in get_run(api, code, run, include="cases")["cases"]

    def test_case_object_creates_the_case_once_in_its_suite_path(self, api: httpx.Client) -> None:
        code = make_project(api)
        run = make_run(api, code)
        body = {
            "status": "passed",
            "case": {"title": "Checkout", "suite_title": "Shop\tCart", "severity": "major"},
        }
        first = ok(post_result(api, code, run, **body))
        second = ok(post_result(api, code, run, **body))
        assert first["case_id"] == second["case_id"]
        case = ok(api.get(f"/v1/case/{code}/{first['case_id']}"))
        assert case["severity"] == 3 and case["suite_id"] is not None
        suites = ok(api.get(f"/v1/suite/{code}"))["entities"]
        assert sorted(s["title"] for s in suites) == ["Cart", "Shop"]

    def test_defect_true_files_a_defect(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        ok(
            post_result(
                api, code, run, case_id=cases[0], status="failed", comment="Boom", defect=True
            )
        )
        defects = ok(api.get(f"/v1/defect/{code}"))["entities"]
        assert len(defects) == 1 and defects[0]["actual_result"] == "Boom"

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"status": "passed"}, "case_id"),
            ({"status": "passed", "case_id": 999}, "case_id"),
            ({"status": "exploded", "case_id": 1}, "status"),
            ({"status": "passed", "case_id": 1, "time_ms": -1}, "time_ms"),
            ({"status": "passed", "case_id": 1, "time": 31536001}, "time"),
            ({"status": "passed", "case_id": 1, "steps": [{"status": "meh"}]}, "steps[0].status"),
            ({"status": "passed", "case_id": 1, "attachments": ["nope"]}, "attachments"),
            ({"status": "passed", "case_id": 1, "author_id": 999999}, "author_id"),
            ({"status": "passed", "case_id": "1"}, "case_id"),
        ],
    )
    def test_bad_input_is_422_and_nothing_is_stored(
        self,
        api: httpx.Client,
        setup: tuple[str, int, list[int]],
        fields: dict[str, Any],
        field: str,
    ) -> None:
        code, run, _ = setup
        response = post_result(api, code, run, **fields)
        assert response.status_code == 422, response.text
        assert field in [f["field"] for f in response.json()["errorFields"]]
        assert ok(api.get(f"/v1/result/{code}"))["total"] == 0
        assert get_run(api, code, run)["stats"]["untested"] == 3

    def test_a_completed_run_takes_no_results(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        api.post(f"/v1/run/{code}/{run}/complete")
        response = post_result(api, code, run, case_id=cases[0], status="passed")
        assert response.status_code == 422 and "completed" in response.json()["errorMessage"]

    def test_unknown_run_is_404(self, api: httpx.Client, setup: tuple[str, int, list[int]]) -> None:
        code, _, cases = setup
        assert post_result(api, code, 99, case_id=cases[0], status="passed").status_code == 404


class TestBulk:
    def test_all_or_nothing(self, api: httpx.Client, setup: tuple[str, int, list[int]]) -> None:
        code, run, cases = setup
        good = {"case_id": cases[0], "status": "passed"}
        bad = api.post(
            f"/v1/result/{code}/{run}/bulk",
            json={"results": [good, {"case_id": 999, "status": "passed"}]},
        )
        assert (
            bad.status_code == 422 and bad.json()["errorFields"][0]["field"] == "results[1].case_id"
        )
        assert ok(api.get(f"/v1/result/{code}"))["total"] == 0
        done = api.post(
            f"/v1/result/{code}/{run}/bulk",
            json={"results": [good, {"case_id": cases[1], "status": "skipped"}]},
        )
        assert done.json() == {"status": True}
        assert get_run(api, code, run)["stats"]["statuses"] == {
            "passed": 1,
            "skipped": 1,
            "untested": 1,
        }

    def test_over_the_limit_is_413(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        body = {"results": [{"case_id": cases[0], "status": "passed"}] * 2001}
        assert api.post(f"/v1/result/{code}/{run}/bulk", json=body).status_code == 413


class TestListUpdateDelete:
    def test_filters(self, api: httpx.Client, setup: tuple[str, int, list[int]]) -> None:
        code, run, cases = setup
        other_run = make_run(api, code)
        ok(post_result(api, code, run, case_id=cases[0], status="passed"))
        failed = ok(post_result(api, code, run, case_id=cases[1], status="failed"))["hash"]
        elsewhere = ok(post_result(api, code, other_run, case_id=cases[1], status="failed"))["hash"]

        def hashes(**params: Any) -> set[str]:
            return {
                r["hash"]
                for r in ok(api.get(f"/v1/result/{code}", params={"limit": 100, **params}))[
                    "entities"
                ]
            }

        assert hashes(status="failed") == {failed, elsewhere}
        assert hashes(run=str(other_run)) == {elsewhere}
        assert hashes(case_id=f"{cases[1]}", run=str(run)) == {failed}
        assert len(hashes(api="true")) == 3 and hashes(api="false") == set()
        assert len(hashes(from_end_time="2000-01-01 00:00:00")) == 3
        assert hashes(to_end_time="2000-01-01 00:00:00") == set()
        # An offset counts: an hour from now, written at -05:00, reads four hours ago on a UTC
        # clock; compared without its offset (SQLite keeps none) it would find nothing.
        in_an_hour = datetime.now(UTC) + timedelta(hours=1)
        ahead = in_an_hour.astimezone(timezone(timedelta(hours=-5))).isoformat(timespec="seconds")
        assert len(hashes(to_end_time=ahead)) == 3
        assert hashes(from_end_time=ahead) == set()
        bad = api.get(f"/v1/result/{code}", params={"status": "nope"})
        assert bad.status_code == 400 and bad.json()["errorFields"][0]["field"] == "status"

    def test_update_and_delete_keep_the_run_right(
        self, api: httpx.Client, setup: tuple[str, int, list[int]]
    ) -> None:
        code, run, cases = setup
        first = ok(post_result(api, code, run, case_id=cases[0], status="failed", time_ms=100))[
            "hash"
        ]
        second = ok(post_result(api, code, run, case_id=cases[0], status="blocked", time_ms=50))[
            "hash"
        ]
        assert ok(
            api.patch(f"/v1/result/{code}/{run}/{second}", json={"status": "passed", "time_ms": 70})
        ) == {"hash": second}
        assert get_run(api, code, run)["stats"]["statuses"] == {"passed": 1, "untested": 2}
        assert get_run(api, code, run)["time_spent"] == 170
        assert ok(api.delete(f"/v1/result/{code}/{run}/{second}")) == {"hash": second}
        assert get_run(api, code, run)["stats"]["statuses"] == {"failed": 1, "untested": 2}
        ok(api.delete(f"/v1/result/{code}/{run}/{first}"))
        assert get_run(api, code, run)["stats"]["statuses"] == {"untested": 3}
        assert api.get(f"/v1/result/{code}/{first}").status_code == 404
        assert (
            api.patch(f"/v1/result/{code}/{run}/{first}", json={"status": "passed"}).status_code
            == 404
        )
