"""`testament upload` on reports written by the real producers: pytest's --junitxml, Node's
junit reporter, allure-pytest and qase-pytest in report mode, each run in a subprocess on a
small generated test file; the run is then read back over the API."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.client.upload_kit import (
    STEP_FAILED,
    STEP_PASSED,
    by_case,
    cases_of,
    make_cases,
    pytest_args,
    refused,
    results_of,
    run_producer,
    suite_paths,
    summary,
    upload,
    upload_env,
)
from tests.factories import make_project
from tests.live import LiveServer

PYTEST_FILE = """
import pytest


def test_login_{code}_{c1}():
    print("logged in as admin")
    assert True


def test_checkout_{lower}{c2}():
    assert 1 == 2, "payment broke"


@pytest.fixture
def broken():
    raise RuntimeError("fixture broke")


def test_errors_{lower}_{c3}(broken):
    pass


@pytest.mark.skip(reason="not today")
def test_skipped_{code}{c4}():
    pass


def test_named_by_property(record_property):
    record_property("QaseID", "{c5}")


def test_nobody_knows():
    pass
"""


def test_pytest_junit_statuses_markers_and_output(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    c1, c2, c3, c4, c5 = make_cases(api, code, 5)
    (tmp_path / "test_shop.py").write_text(
        PYTEST_FILE.format(code=code, lower=code.lower(), c1=c1, c2=c2, c3=c3, c4=c4, c5=c5)
    )
    run_producer(
        pytest_args(
            "-p",
            "no:qase_pytest",
            "--junitxml=junit.xml",
            "-o",
            "junit_logging=all",
            "test_shop.py",
        ),
        cwd=tmp_path,
    )
    env = upload_env(tmp_path, server)
    title = f"Nightly {{env:CI_SHA}} {code}"

    # One test names no case: by default nothing is sent, and the user is told what to do.
    stopped = refused(
        upload(
            "junit",
            "--project",
            code,
            "--run-title",
            title,
            "junit.xml",
            env={**env, "CI_SHA": "abc"},
            cwd=tmp_path,
        )
    )
    assert "1 of 6 results match no case" in stopped
    assert "junit.xml: test_nobody_knows" in stopped
    assert "--create-cases" in stopped and "--ignore-unmatched" in stopped
    assert api.get(f"/v1/run/{code}").json()["result"]["total"] == 0

    done = summary(
        upload(
            "junit",
            "--project",
            code,
            "--run-title",
            title,
            "--ignore-unmatched",
            "--output",
            "json",
            "junit.xml",
            env={**env, "CI_SHA": "abc"},
            cwd=tmp_path,
        )
    )
    assert done["run_title"] == f"Nightly abc {code}"
    assert done["results"]["delivered"] == 5
    assert done["results"]["skipped"] == 1
    assert done["results"]["failed"] == 0
    results = by_case(results_of(api, code, done["run_id"]))
    assert set(results) == {c1, c2, c3, c4, c5}
    assert [r["status"] for r in results[c1]] == ["passed"]
    assert "logged in as admin" in results[c1][0]["comment"]
    assert results[c2][0]["status"] == "failed"
    assert "payment broke" in results[c2][0]["comment"]
    assert "assert 1 == 2" in results[c2][0]["stacktrace"]
    # An error (here in a fixture) is "invalid", as Qase's reporters send it.
    assert results[c3][0]["status"] == "invalid"
    assert "fixture broke" in results[c3][0]["comment"]
    assert results[c4][0]["status"] == "skipped"
    assert "not today" in results[c4][0]["comment"]
    assert results[c5][0]["status"] == "passed"
    assert all(r["time_spent_ms"] >= 0 for rs in results.values() for r in rs)


NODE_FILE = """
import {{ test, describe }} from 'node:test';
import assert from 'node:assert';

describe('checkout', () => {{
  test('pays with card {code}-{c1}', () => {{ assert.ok(true); }});
  test('declines expired card {lower}{c2}', () => {{ assert.strictEqual(1, 2); }});
  test('later', {{ skip: 'not ready' }}, () => {{}});
  describe('refunds', () => {{
    test('refunds in full', () => {{ assert.ok(true); }});
  }});
}});
test('top level smoke', () => {{ assert.ok(true); }});
"""


def test_node_junit_with_created_cases(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    node = shutil.which("node")
    assert node is not None, "node (v20+) is needed for this test"
    code = make_project(api)
    c1, c2 = make_cases(api, code, 2)
    (tmp_path / "shop.test.mjs").write_text(
        NODE_FILE.format(code=code, lower=code.lower(), c1=c1, c2=c2)
    )
    run_producer(
        [
            node,
            "--test",
            "--test-reporter=junit",
            "--test-reporter-destination=node.xml",
            "shop.test.mjs",
        ],
        cwd=tmp_path,
    )
    env = upload_env(tmp_path, server)
    args = ["--project", code, "--create-cases", "--output", "json", "node.xml"]
    first = summary(upload("junit", "--run-title", "node one", *args, env=env, cwd=tmp_path))
    assert first["results"]["delivered"] == 5
    assert first["results"]["filed_by_title"] == 3
    results = by_case(results_of(api, code, first["run_id"]))
    assert results[c1][0]["status"] == "passed"
    assert results[c2][0]["status"] == "failed"
    assert "1 !== 2" in results[c2][0]["stacktrace"]
    cases = {case["title"]: case for case in cases_of(api, code)}
    paths = suite_paths(api, code)
    # Node names no class: the describe blocks are the suite path.
    assert paths[cases["later"]["suite_id"]] == "checkout"
    assert paths[cases["refunds in full"]["suite_id"]] == "checkout / refunds"
    assert cases["top level smoke"]["suite_id"] is None
    assert results[cases["later"]["id"]][0]["status"] == "skipped"

    # The next upload (another run) reuses the cases it made.
    second = summary(upload("junit", "--run-title", "node two", *args, env=env, cwd=tmp_path))
    assert second["run_id"] != first["run_id"]
    assert len(cases_of(api, code)) == len(cases)
    assert {r["case_id"] for r in results_of(api, code, second["run_id"])} == {
        r["case_id"] for r in results_of(api, code, first["run_id"])
    }


ALLURE_FILE = """
import allure
import pytest


@allure.testcase("https://tms.example.com/browse/{code}-{c1}", "{code}-{c1}")
def test_checkout():
    with allure.step("open the cart"):
        with allure.step("load items"):
            pass
        allure.attach("3 items", name="cart contents", attachment_type=allure.attachment_type.TEXT)
    with allure.step("pay"):
        assert 1 == 2, "payment broke"


@allure.label("as_id", "{c2}")
@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_browsers(browser):
    print("running on", browser)


@pytest.fixture
def broken():
    raise RuntimeError("database down")


@allure.label("qase_id", "{c3}")
def test_with_broken_fixture(broken):
    pass


@allure.parent_suite("Web")
@allure.suite("Search")
def test_search_works():
    pass
"""


def test_allure_pytest_steps_attachments_and_suites(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    c1, c2, c3 = make_cases(api, code, 3)
    (tmp_path / "test_web.py").write_text(ALLURE_FILE.format(code=code, c1=c1, c2=c2, c3=c3))
    run_producer(
        pytest_args("-p", "no:qase_pytest", "--alluredir=allure-results", "test_web.py"),
        cwd=tmp_path,
    )
    env = upload_env(tmp_path, server)
    done = summary(
        upload(
            "allure",
            "--project",
            code,
            "--run-title",
            "allure",
            "--create-cases",
            "--output",
            "json",
            "allure-results",
            env=env,
            cwd=tmp_path,
        )
    )
    assert done["results"] == {
        **done["results"],
        "total": 5,
        "delivered": 5,
        "failed": 0,
        "filed_by_title": 1,
        "statuses": {"failed": 1, "invalid": 1, "passed": 3},
    }
    assert done["attachments"]["uploaded"] >= 2
    results = by_case(results_of(api, code, done["run_id"]))
    checkout = results[c1][0]
    assert checkout["status"] == "failed"
    assert "payment broke" in checkout["comment"]
    open_cart, pay = checkout["steps"]
    assert open_cart["action"] == "open the cart" and open_cart["status"] == STEP_PASSED
    assert [s["action"] for s in open_cart["steps"]] == ["load items"]
    assert len(open_cart["attachments"]) == 1
    assert pay["action"] == "pay" and pay["status"] == STEP_FAILED
    assert "payment broke" in pay["comment"]
    # Both parametrized runs land on the case named by the as_id label.
    assert sorted(r["status"] for r in results[c2]) == ["passed", "passed"]
    assert all(r["attachments"] for r in results[c2]), "stdout is attached"
    assert results[c3][0]["status"] == "invalid"
    search = next(case for case in cases_of(api, code) if case["title"] == "test_search_works")
    assert suite_paths(api, code)[search["suite_id"]] == "Web / Search"


QASE_FILE = """
import pytest
from qase.pytest import qase


@qase.id({c1})
def test_pay():
    with qase.step("open the cart", "cart shown"):
        pass
    with qase.step("pay"):
        qase.attach((b"receipt 42", "text/plain", "receipt.txt"))


@qase.id({c2})
@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_browsers(browser):
    assert browser == "chrome"


def test_refund_{code}_{c3}():
    assert 1 == 2, "refund total is wrong"


@pytest.mark.skip(reason="not ready")
def test_later():
    pass
"""


def test_qase_pytest_report_mode(server: LiveServer, api: httpx.Client, tmp_path: Path) -> None:
    code = make_project(api)
    c1, c2, c3 = make_cases(api, code, 3)
    (tmp_path / "test_shop.py").write_text(QASE_FILE.format(code=code, c1=c1, c2=c2, c3=c3))
    # The reporter asks `pip` for versions for its host data, 18 times at half a second each; a
    # `pip` that answers nothing makes it fall back to importlib.metadata at once.
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "pip").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "pip").chmod(0o755)
    run_producer(
        pytest_args("test_shop.py"),
        cwd=tmp_path,
        env={
            "QASE_MODE": "report",
            "QASE_REPORT_CONNECTION_PATH": str(tmp_path / "qase-report"),
            "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
        },
    )
    assert (tmp_path / "qase-report" / "run.json").is_file()
    # A CI artifact moves: the attachments are found in the report's own folder.
    shutil.move(tmp_path / "qase-report", tmp_path / "artifact")
    env = upload_env(tmp_path, server)
    done = summary(
        upload(
            "qase",
            "--project",
            code,
            "--run-title",
            "qase",
            "--ignore-unmatched",
            "--complete",
            "--output",
            "json",
            "artifact",
            env=env,
            cwd=tmp_path,
        )
    )
    assert done["results"]["delivered"] == 4
    assert done["results"]["skipped"] == 1
    assert done["attachments"]["missing"] == []
    assert done["completed"] is True
    run = api.get(f"/v1/run/{code}/{done['run_id']}").json()["result"]
    assert run["status_text"] in ("passed", "failed")
    results = by_case(results_of(api, code, done["run_id"]))
    pay = results[c1][0]
    assert pay["status"] == "passed"
    assert [s["action"] for s in pay["steps"]] == ["open the cart", "pay"]
    assert pay["steps"][0]["expected_result"] == "cart shown"
    assert len(pay["steps"][1]["attachments"]) == 1
    assert sorted(r["status"] for r in results[c2]) == ["failed", "passed"]
    assert results[c3][0]["status"] == "failed"
    assert "refund total is wrong" in results[c3][0]["comment"]


@pytest.mark.parametrize("status", ["blocked", "failed"])
def test_error_status_is_a_choice(
    server: LiveServer, api: httpx.Client, tmp_path: Path, status: str
) -> None:
    code = make_project(api)
    (c1,) = make_cases(api, code, 1)
    (tmp_path / "r.xml").write_text(
        f'<testsuite name="s"><testcase classname="a" name="t {code}-{c1}">'
        '<error message="boom">trace</error></testcase></testsuite>'
    )
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--dry-run",
            "--error-status",
            status,
            "--output",
            "json",
            "r.xml",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert done["results"]["statuses"] == {status: 1}
