"""Reading reports: hand-written edge cases of each format, and what a hostile file gets."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from testament.client.upload.allure import read_allure
from testament.client.upload.junit import read_junit
from testament.client.upload.markers import CaseMarkers
from testament.client.upload.model import ReportError, TestOutcome
from testament.client.upload.payload import OUTPUT_INLINE_MAX, idempotency_key, prepare
from testament.client.upload.playwright import read_playwright
from testament.client.upload.runs import RunError, render_title
from testament.client.upload.sources import find_reports
from tests.client.upload_kit import (
    STEP_FAILED,
    STEP_PASSED,
    by_case,
    make_cases,
    refused,
    results_of,
    runs_titled,
    summary,
    upload,
    upload_env,
)
from tests.factories import make_project
from tests.live import LiveServer


def junit(tmp_path: Path, xml: str, name: str = "report.xml") -> list[TestOutcome]:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return list(read_junit(path, name, "invalid"))


class TestJUnit:
    def test_failures_errors_skips_and_passes(self, tmp_path: Path) -> None:
        found = junit(
            tmp_path,
            """<?xml version="1.0"?>
<testsuites>
  <testsuite name="unit" timestamp="2026-03-01T10:00:00" tests="5">
    <testcase classname="shop.Cart" name="adds" time="0.5"/>
    <testcase classname="shop.Cart" name="fails" time="1,250.5">
      <failure message="expected 2" type="AssertionError">Traceback: line 3</failure>
    </testcase>
    <testcase classname="shop.Cart" name="errors"><error message="db down">ConnErr</error></testcase>
    <testcase classname="shop.Cart" name="both">
      <failure message="wrong"/><error message="teardown broke"/>
    </testcase>
    <testcase classname="shop.Cart" name="skips"><skipped message="not on CI"/></testcase>
    <testcase classname="shop.Cart" name="skips with text"><skipped>flaky on arm64</skipped></testcase>
  </testsuite>
</testsuites>""",
        )
        assert [(o.title, o.status) for o in found] == [
            ("adds", "passed"),
            ("fails", "failed"),
            ("errors", "invalid"),
            ("both", "failed"),
            ("skips", "skipped"),
            ("skips with text", "skipped"),
        ]
        fails = found[1]
        assert fails.message == "expected 2"
        assert fails.stacktrace == "Traceback: line 3"
        assert fails.duration_ms == 1_250_500
        assert fails.suite_path == ["shop", "Cart"]
        assert fails.start_time == datetime(2026, 3, 1, 10, tzinfo=UTC).timestamp()
        assert found[3].message == "wrong\nteardown broke"
        assert found[4].message == "not on CI"
        assert found[5].message == "flaky on arm64"

    def test_nested_suites_unicode_and_empty_suites(self, tmp_path: Path) -> None:
        found = junit(
            tmp_path,
            """<testsuites>
  <testsuite name="empty" tests="0"/>
  <testsuite name="Zahlung">
    <testsuite name="Karte ✓">
      <testcase classname="test" name="zahlt mit Karte — 日本語 ✓">
        <failure message="Betrag falsch: 10 € ≠ 12 €"/>
      </testcase>
    </testsuite>
    <testsuite name="leer"></testsuite>
  </testsuite>
  <testcase name="loose test"/>
</testsuites>""",
        )
        assert [(o.title, o.suite_path) for o in found] == [
            ("zahlt mit Karte — 日本語 ✓", ["Zahlung", "Karte ✓"]),
            ("loose test", []),
        ]
        assert found[0].message == "Betrag falsch: 10 € ≠ 12 €"

    def test_a_file_with_no_tests_is_read_as_none(self, tmp_path: Path) -> None:
        assert junit(tmp_path, '<testsuite name="nothing" tests="0"></testsuite>') == []

    def test_properties_outputs_attachments_and_reruns(self, tmp_path: Path) -> None:
        (tmp_path / "shots").mkdir()
        (tmp_path / "shots" / "page.png").write_bytes(b"\x89PNG")
        found = junit(
            tmp_path,
            """<testsuite name="it">
  <testcase classname="it.Login" name="logs in">
    <properties>
      <property name="QaseID" value="12"/>
      <property name="test_id" value="DEMO-13, DEMO-14"/>
      <property name="attachment">shots/page.png</property>
    </properties>
    <flakyFailure message="timeout"><stackTrace>at line 9</stackTrace></flakyFailure>
    <rerunError message="socket closed"/>
    <system-out>hello [[ATTACHMENT|shots/page.png]]</system-out>
    <system-err>warn</system-err>
  </testcase>
</testsuite>""",
        )
        assert [(o.status, o.attempt) for o in found] == [
            ("failed", 0),
            ("invalid", 1),
            ("passed", 2),
        ]
        assert found[0].stacktrace == "at line 9"
        last = found[-1]
        assert last.case_refs == ["12", "DEMO-13, DEMO-14"]
        assert last.stdout == "hello [[ATTACHMENT|shots/page.png]]"
        assert last.stderr == "warn"
        assert [a.path for a in last.attachments] == [tmp_path / "shots" / "page.png"]
        assert CaseMarkers("DEMO").match(last).numbers == [12, 13, 14]
        # Each attempt has its own idempotency key; the same attempt always the same one.
        keys = [idempotency_key(7, o) for o in found]
        assert len(set(keys)) == 3
        assert keys == [
            idempotency_key(7, o) for o in junit(tmp_path, (tmp_path / "report.xml").read_text())
        ]
        assert idempotency_key(8, found[0]) != keys[0]

    def test_huge_output_is_attached_and_its_end_kept(self, tmp_path: Path) -> None:
        output = "".join(f"line {n}\n" for n in range(20_000))
        (found,) = junit(
            tmp_path,
            f'<testsuite><testcase classname="a" name="t"><system-out>{output}</system-out></testcase></testsuite>',
        )
        prepared = prepare(found, 1, [5])
        assert len(output) > OUTPUT_INLINE_MAX
        message = prepared.payload["message"]
        assert "attached as stdout.txt" in message
        assert message.endswith("line 19999")
        assert len(message) < OUTPUT_INLINE_MAX
        (attached,) = [a for _, a in prepared.slots]
        assert attached.name == "stdout.txt"
        assert attached.content == output.strip().encode()
        assert prepared.payload["testops_ids"] == [5]

    @pytest.mark.parametrize(
        ("xml", "expected"),
        [
            (
                """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<testsuite><testcase name="&lol3;"/></testsuite>""",
                "declares a DTD",
            ),
            (
                """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite><testcase name="&xxe;"/></testsuite>""",
                "declares a DTD",
            ),
            ("<testsuite><testcase name='a'></testsuite>", "not well-formed XML"),
            ("<html><body/></html>", "not a JUnit report"),
            ("", "not well-formed XML"),
        ],
    )
    def test_hostile_or_broken_files_are_refused(
        self, tmp_path: Path, xml: str, expected: str
    ) -> None:
        with pytest.raises(ReportError, match=expected):
            junit(tmp_path, xml)


@pytest.mark.parametrize(
    ("name", "numbers"),
    [
        ("test_login_DEMO_12", [12]),
        ("test_demo12_login", [12]),
        ("TestDemo12Login", [12]),
        ("checkout demo-7 and DEMO-8", [7, 8]),
        ("pays (Qase ID: 3, 4)", [3, 4]),
        ("JIRA-5 fixed: DEMO-6", [6]),
        ("testdemo12", []),
        ("demolition12", []),
        ("test_param[2]", []),
        ("JIRA-5 only", []),
    ],
)
def test_markers_in_names(name: str, numbers: list[int]) -> None:
    outcome = TestOutcome(source="r", identity=name, title=name, status="passed")
    match = CaseMarkers("demo").match(outcome)
    assert match.numbers == numbers
    if name == "JIRA-5 only":
        assert match.foreign == ["JIRA-5"]


def test_run_title_templates() -> None:
    moment = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    environ = {"CI_COMMIT_SHA": "abc123"}
    assert (
        render_title("Nightly {env:CI_COMMIT_SHA} {date:%Y-%m-%d}", environ, moment)
        == "Nightly abc123 2026-05-04"
    )
    assert render_title("{env:BRANCH:-main} {date}", environ, moment) == "main 2026-05-04 03:02"
    assert render_title("{{literal}}", environ, moment) == "{literal}"
    with pytest.raises(RunError, match="BRANCH is not set"):
        render_title("{env:BRANCH}", environ, moment)
    with pytest.raises(RunError, match="unknown placeholder"):
        render_title("{sha}", environ, moment)


def test_allure_statuses_and_suite_fallbacks(tmp_path: Path) -> None:
    results = [
        {
            "name": "a",
            "status": "unknown",
            "uuid": "1",
            "start": 1,
            "stop": 5,
            "labels": [{"name": "package", "value": "web.login"}],
        },
        {
            "name": "b",
            "status": "broken",
            "uuid": "2",
            "start": 2,
            "historyId": "h",
            "titlePath": ["e2e", "b.spec.ts"],
            "links": [{"type": "test_case", "name": "DEMO-4"}],
        },
        {"name": "b", "status": "passed", "uuid": "3", "start": 3, "historyId": "h"},
    ]
    for index, result in enumerate(results):
        (tmp_path / f"{index}-result.json").write_text(json.dumps(result))
    found = list(read_allure(tmp_path, "allure", "blocked"))
    assert [(o.title, o.status, o.attempt) for o in found] == [
        ("a", "blocked", 0),
        ("b", "blocked", 0),
        ("b", "passed", 1),
    ]
    assert found[0].suite_path == ["web", "login"]
    assert found[0].duration_ms == 4
    assert found[1].suite_path == ["e2e", "b.spec.ts"]
    assert found[1].case_refs == ["DEMO-4"]


def playwright_report(folder: Path, code: str, c1: int, c2: int, c3: int) -> Path:
    (folder / "test-results").mkdir()
    (folder / "test-results" / "shot.png").write_bytes(b"\x89PNG\r\n fake")
    step_error = {"message": "\x1b[31mExpected: visible\x1b[39m", "stack": "at cart.spec.ts:9"}
    report = {
        "config": {"rootDir": str(folder)},
        "suites": [
            {
                "title": "cart.spec.ts",
                "file": "cart.spec.ts",
                "specs": [
                    {
                        "title": "adds an item",
                        "tags": [],
                        "tests": [
                            {
                                "annotations": [{"type": "QaseID", "description": str(c1)}],
                                "expectedStatus": "passed",
                                "projectName": "chromium",
                                "results": [
                                    {
                                        "retry": 0,
                                        "status": "failed",
                                        "duration": 1500,
                                        "startTime": "2026-03-01T10:00:00.000Z",
                                        "error": step_error,
                                        "errors": [step_error],
                                        "stdout": [{"text": "first try\n"}],
                                        "stderr": [],
                                        "steps": [
                                            {
                                                "title": "open cart",
                                                "duration": 20,
                                                "steps": [{"title": "click icon", "duration": 5}],
                                            },
                                            {
                                                "title": "check badge",
                                                "duration": 9,
                                                "error": step_error,
                                            },
                                        ],
                                        "attachments": [
                                            {
                                                "name": "screenshot",
                                                "contentType": "image/png",
                                                "path": "/elsewhere/test-results/shot.png",
                                            },
                                            {
                                                "name": "notes",
                                                "contentType": "text/plain",
                                                "body": base64.b64encode(b"some notes").decode(),
                                            },
                                        ],
                                    },
                                    {
                                        "retry": 1,
                                        "status": "passed",
                                        "duration": 900,
                                        "startTime": "2026-03-01T10:00:02.000Z",
                                        "errors": [],
                                        "stdout": [],
                                        "stderr": [],
                                        "steps": [{"title": "open cart", "duration": 20}],
                                        "attachments": [],
                                    },
                                ],
                            }
                        ],
                    }
                ],
                "suites": [
                    {
                        "title": "checkout",
                        "specs": [
                            {
                                "title": "known bug",
                                "tags": [f"@{code}-{c2}"],
                                "tests": [
                                    {
                                        "annotations": [{"type": "issue", "description": "BUG-1"}],
                                        "expectedStatus": "failed",
                                        "projectName": "firefox",
                                        "results": [
                                            {"retry": 0, "status": "failed", "duration": 3}
                                        ],
                                    }
                                ],
                            },
                            {
                                "title": f"times out {code.lower()}{c3}",
                                "tests": [
                                    {
                                        "expectedStatus": "passed",
                                        "projectName": "firefox",
                                        "results": [
                                            {"retry": 0, "status": "timedOut", "duration": 30000}
                                        ],
                                    }
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }
    path = folder / "results.json"
    path.write_text(json.dumps(report))
    return path


def test_playwright_annotations_retries_steps_and_attachments(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    c1, c2, c3 = make_cases(api, code, 3)
    playwright_report(tmp_path, code, c1, c2, c3)
    found = list(read_playwright(tmp_path / "results.json", "results.json", "invalid"))
    assert [(o.title, o.status, o.attempt) for o in found] == [
        ("adds an item", "failed", 0),
        ("adds an item", "passed", 1),
        ("known bug", "passed", 0),  # expected to fail, and it did
        (f"times out {code.lower()}{c3}", "failed", 0),
    ]
    assert found[0].suite_path == ["cart.spec.ts"]
    assert found[2].suite_path == ["cart.spec.ts", "checkout"]
    assert found[0].message == "Expected: visible"  # colour codes removed
    done = summary(
        upload(
            "playwright",
            "-p",
            code,
            "--run-title",
            "pw",
            "--output",
            "json",
            "results.json",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert done["results"]["delivered"] == 4
    assert done["attachments"]["uploaded"] == 2
    results = by_case(results_of(api, code, done["run_id"]))
    assert sorted(r["status"] for r in results[c1]) == ["failed", "passed"]
    first = next(r for r in results[c1] if r["status"] == "failed")
    open_cart, check_badge = first["steps"]
    assert open_cart["status"] == STEP_PASSED
    assert [s["action"] for s in open_cart["steps"]] == ["click icon"]
    assert check_badge["status"] == STEP_FAILED
    assert check_badge["comment"] == "Expected: visible"
    assert len(first["attachments"]) == 2
    assert "first try" in first["comment"]
    run = api.get(f"/v1/run/{code}/{done['run_id']}", params={"include": "cases"}).json()["result"]
    assert run["stats"]["passed"] == 2  # c1 (its retry passed) and c2
    assert run["stats"]["failed"] == 1  # c3 timed out
    assert [r["status"] for r in results[c2]] == ["passed"]
    assert [r["status"] for r in results[c3]] == ["failed"]


@pytest.mark.parametrize(
    "xml",
    [
        '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><testsuite><testcase name="&b;"/></testsuite>',
        '<!DOCTYPE t [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]><testsuite><testcase name="&x;"/></testsuite>',
    ],
)
def test_the_command_refuses_entity_files_and_sends_nothing(
    server: LiveServer, api: httpx.Client, tmp_path: Path, xml: str
) -> None:
    code = make_project(api)
    (tmp_path / "evil.xml").write_text(xml)
    stderr = refused(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "evil",
            "evil.xml",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert "evil.xml: refused: the file declares a DTD" in stderr
    assert runs_titled(api, code, "evil") == []


def test_huge_outputs_and_unicode_end_to_end(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    (c1,) = make_cases(api, code, 1)
    output = "".join(f"Größe {n} ✓\n" for n in range(30_000))
    (tmp_path / "r.xml").write_text(
        f'<testsuite name="s"><testcase classname="ü.Ö" name="prüft {code}-{c1}">'
        f'<failure message="Fehler: ≠">trace ✗</failure><system-out>{output}</system-out>'
        "</testcase></testsuite>",
        encoding="utf-8",
    )
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "big output",
            "--output",
            "json",
            "r.xml",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert done["results"]["delivered"] == 1
    (result,) = results_of(api, code, done["run_id"])
    assert result["comment"].startswith("Fehler: ≠")
    assert result["comment"].rstrip().endswith("Größe 29999 ✓")
    assert result["stacktrace"] == "trace ✗"
    (attachment,) = result["attachments"]
    assert attachment["filename"] == "stdout.txt"
    assert attachment["size"] == len(output.strip().encode())


def test_an_empty_report_creates_no_run(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    (tmp_path / "empty.xml").write_text(
        '<testsuites><testsuite name="none" tests="0"/></testsuites>'
    )
    done = upload(
        "junit",
        "-p",
        code,
        "--run-title",
        "empty",
        "empty.xml",
        env=upload_env(tmp_path, server),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "no test results" in done.stderr
    assert runs_titled(api, code, "empty") == []


def test_a_reports_folder_is_searched_for_junit_files_only(tmp_path: Path) -> None:
    (tmp_path / "reports" / "unit").mkdir(parents=True)
    (tmp_path / "reports" / "unit" / "a.xml").write_text("<testsuite/>")
    (tmp_path / "reports" / "b.xml").write_text("<testsuites/>")
    (tmp_path / "reports" / "coverage.xml").write_text('<coverage version="7"/>')
    (tmp_path / "reports" / "notes.txt").write_text("x")
    found = find_reports("junit", [tmp_path / "reports", tmp_path / "reports" / "b.xml"])
    assert [report.path.name for report in found] == ["b.xml", "a.xml"]
    with pytest.raises(ReportError, match="holds no Allure results"):
        find_reports("allure", [tmp_path / "reports"])
