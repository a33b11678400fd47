"""`testament import cases` and `testament export cases`, run for real against a live server."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx

from tests.client.cases_cli import (
    HEADER,
    cases_of,
    client_env,
    import_cases,
    steps_tree,
    suite_paths,
    summary,
)
from tests.factories import make_project
from tests.live import LiveServer, run_testament


def comparable(api: httpx.Client, code: str) -> list[tuple[Any, ...]]:
    """What a round trip must keep, case by case."""
    paths = suite_paths(api, code)
    return sorted(
        (
            case["id"],
            case["title"],
            paths[case["suite_id"]],
            case["preconditions"],
            case["description"],
            case["steps_type"],
            steps_tree(case["steps"]),
            case["severity"],
            case["priority"],
            case["type"],
            case["behavior"],
            case["automation"],
            case["status"],
            sorted(tag["title"] for tag in case["tags"]),
        )
        for case in cases_of(api, code)
    )


class TestImport:
    def test_creates_suites_and_cases_then_a_second_import_changes_nothing(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        file = tmp_path / "cases.csv"
        file.write_text(
            "Title,Suite,Preconditions,Steps Actions,Steps Result,Steps Data,Severity,Priority,Type,Tags\n"
            'Login works,Auth / Login,"User exists, active","1. Open page\n2. Type ""alice""\n'
            '3. Click Login","1. Page shown\n3. Logged in",2. alice,Critical,high,2,"smoke, login"\n'
            'SSO works,Auth / Login / SSO,,"Open SSO\nClick Google","Google shown\n",,,,,\n'
            "Root case,,,,,,,,,\n",
            encoding="utf-8",
        )
        first = summary(import_cases(env, code, file, "--output", "json"))
        assert (first["created"], first["updated"], first["unchanged"]) == (3, 0, 0)
        assert first["suites_created"] == 3
        assert [c["action"] for c in first["cases"]] == ["created"] * 3
        assert [c["row"] for c in first["cases"]] == [2, 3, 4]  # as a spreadsheet counts rows

        paths = suite_paths(api, code)
        by_title = {case["title"]: case for case in cases_of(api, code)}
        assert sorted(paths.values()) == ["", "Auth", "Auth > Login", "Auth > Login > SSO"]
        login = by_title["Login works"]
        assert paths[login["suite_id"]] == "Auth > Login"
        assert login["preconditions"] == "User exists, active"
        assert steps_tree(login["steps"]) == [
            ("Open page", "Page shown", None, []),
            ('Type "alice"', None, "alice", []),
            ("Click Login", "Logged in", None, []),
        ]
        assert (login["severity"], login["priority"], login["type"]) == (2, 1, 2)
        assert sorted(tag["title"] for tag in login["tags"]) == ["login", "smoke"]
        sso = by_title["SSO works"]
        assert steps_tree(sso["steps"]) == [
            ("Open SSO", "Google shown", None, []),
            ("Click Google", None, None, []),
        ]
        assert paths[by_title["Root case"]["suite_id"]] == ""

        again = import_cases(env, code, file, "--output", "json")
        second = summary(again)
        assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 3)
        assert second["suites_created"] == 0
        assert {c["id"] for c in second["cases"]} == {c["id"] for c in first["cases"]}
        assert f"{code}: 0 created, 0 updated, 3 unchanged, 0 suites created" in again.stderr
        assert len(cases_of(api, code)) == 3

    def test_changed_rows_are_updated_and_only_they(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        file = tmp_path / "cases.csv"
        file.write_text(
            HEADER
            + ",Alpha,S,,1. a,1. ok,,normal,,,one\n"
            + ",Beta,S,,1. b,,,minor,,,\n"
            + ",Gamma,S,,,,,,,,\n"
        )
        ids = {
            c["row"]: c["id"]
            for c in summary(import_cases(env, code, file, "--output", "json"))["cases"]
        }
        beta_before = api.get(f"/v1/case/{code}/{ids[3]}").json()["result"]

        # Rename Alpha through its id, change Gamma's steps and suite, leave Beta as it is.
        file.write_text(
            HEADER
            + f'{ids[2]},Alpha renamed,S,,1. a,1. ok,,major,,,"one, two"\n'
            + ",Beta,S,,1. b,,,minor,,,\n"
            + ",Gamma,S,,1. new step,,,,,,\n"
            + ",Delta,T / U,,,,,,,,\n"
        )
        done = import_cases(env, code, file, "--output", "json")
        result = summary(done)
        assert (result["created"], result["updated"], result["unchanged"]) == (1, 2, 1)
        by_row = {c["row"]: c for c in result["cases"]}
        assert by_row[2] == {
            "row": 2,
            "id": ids[2],
            "action": "updated",
            "changes": ["title", "severity", "tags"],
        }
        assert by_row[3]["action"] == "unchanged" and by_row[3]["id"] == ids[3]
        assert by_row[4]["changes"] == ["steps"]
        assert by_row[5]["action"] == "created"

        alpha = api.get(f"/v1/case/{code}/{ids[2]}").json()["result"]
        assert alpha["title"] == "Alpha renamed" and alpha["severity"] == 3
        assert sorted(t["title"] for t in alpha["tags"]) == ["one", "two"]
        gamma = api.get(f"/v1/case/{code}/{ids[4]}").json()["result"]
        assert steps_tree(gamma["steps"]) == [("new step", None, None, [])]
        beta_after = api.get(f"/v1/case/{code}/{ids[3]}").json()["result"]
        assert beta_after["updated_at"] == beta_before["updated_at"], "an unchanged row is not sent"
        assert len(cases_of(api, code)) == 4

    def test_a_file_without_some_columns_leaves_those_fields_alone(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        created = api.post(
            f"/v1/case/{code}",
            json={
                "title": "Kept",
                "severity": "blocker",
                "tags": ["keep"],
                "description": "Stays.",
                "steps": [{"action": "Old", "expected_result": "Old result", "data": "d1"}],
            },
        ).json()["result"]["id"]
        file = tmp_path / "partial.csv"
        file.write_text(f"id,title,steps\n{created},Kept,1. New action\n")
        env = client_env(server, tmp_path)
        result = summary(import_cases(env, code, file, "--output", "json"))
        assert result["updated"] == 1 and result["cases"][0]["changes"] == ["steps"]
        case = api.get(f"/v1/case/{code}/{created}").json()["result"]
        assert case["severity"] == 1 and case["description"] == "Stays."
        assert [t["title"] for t in case["tags"]] == ["keep"]
        # No expected result or data column: the case's are kept, step by step.
        assert steps_tree(case["steps"]) == [("New action", "Old result", "d1", [])]
        assert summary(import_cases(env, code, file, "--output", "json"))["unchanged"] == 1

    def test_errors_are_reported_by_row_and_column_and_nothing_is_written(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        file = tmp_path / "bad.csv"
        file.write_text(
            HEADER
            + ',Fine,S,"spans\nthree\nlines",1. a,,,,,,\n'
            + ",Bad severity,S,,,,,urgent,,,\n"
            + ',Misaligned,S,,"1. a\n2. b","1. ok\n3. what",,,,,\n'
            + ",,S,,,,,,,,\n"
            + "abc,Bad id,S,,,,,,,smoke,\n"
            + ",Fine,S,,,,,,,,\n"
            + ",Bad enums,S,,,,,,low-ish,nope,\n"
        )
        done = import_cases(env, code, file)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.splitlines() == [
            f"{file}: 7 errors, nothing was written:",
            '  row 3, column severity: unknown value "urgent" (use one of: undefined, blocker, '
            "critical, major, normal, minor, trivial)",
            "  row 4, column steps_result: step 3 has an expected result but no action",
            "  row 5, column title: empty: every case needs a title",
            f"  row 6, column id: 'abc' is not a case id (a number, or {code}-12)",
            "  row 7: same title and suite 'S' as row 2: the second would match the first's case "
            "on the next import (give each row an id, or other titles)",
            '  row 8, column priority: unknown value "low-ish" (use one of: undefined, high, '
            "medium, low)",
            '  row 8, column type: unknown value "nope" (use one of: other, functional, smoke, '
            "regression, security, usability, performance, acceptance, compatibility, "
            "integration, exploratory)",
        ]
        assert cases_of(api, code) == []
        assert suite_paths(api, code) == {None: ""}

        as_json = import_cases(env, code, file, "--output", "json")
        assert as_json.returncode == 1
        errors = json.loads(as_json.stdout)["errors"]
        assert errors[0] == {
            "row": 3,
            "column": "severity",
            "message": 'unknown value "urgent" (use one of: undefined, blocker, critical, major, '
            "normal, minor, trivial)",
        }
        assert len(errors) == 7

    def test_step_cells_the_ways_people_write_them(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        rows = [
            ["title", "steps", "expected results", "test data"],
            # One step per line, aligned by line; a blank action line with nothing on it drops.
            ["Lines", "Open\n\nClose", "Opened\n\nClosed", "\n\nnow"],
            # `2)` numbering, a line that continues step 1, nested steps, results by number.
            [
                "Numbered",
                "1) Log in\n   as admin\n1.1. Type name\n1.2. Type password\n2) Log out",
                "1.2) Accepted\n2) Logged out",
                "1.1. admin",
            ],
            # Numbered actions, unnumbered results: line i is the i-th step listed.
            ["Mixed", "1. A\n1.1. A.1\n2. B", "a\na.1\nb", ""],
            ["Child first", "2.1. Orphan\n2. Parent", "", ""],
            ["Twice", "1. A\n1. B", "", ""],
        ]
        file = tmp_path / "steps.csv"

        def write(records: list[list[str]]) -> None:
            with file.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerows(records)

        write(rows)
        env = client_env(server, tmp_path)
        done = import_cases(env, code, file)
        assert done.returncode == 1
        assert done.stderr.splitlines()[1:] == [
            "  row 5, column steps: step 2.1 comes before step 2",
            "  row 6, column steps: step 1 is given twice",
        ]
        write(rows[:-2])
        assert summary(import_cases(env, code, file, "--output", "json"))["created"] == 3
        by_title = {case["title"]: steps_tree(case["steps"]) for case in cases_of(api, code)}
        assert by_title["Lines"] == [
            ("Open", "Opened", None, []),
            ("Close", "Closed", "now", []),
        ]
        assert by_title["Numbered"] == [
            (
                "Log in\nas admin",
                None,
                None,
                [("Type name", None, "admin", []), ("Type password", "Accepted", None, [])],
            ),
            ("Log out", "Logged out", None, []),
        ]
        assert by_title["Mixed"] == [
            ("A", "a", None, [("A.1", "a.1", None, [])]),
            ("B", "b", None, []),
        ]

    def test_ambiguous_matches_are_errors_before_any_write(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        suite = api.post(f"/v1/suite/{code}", json={"title": "S"}).json()["result"]["id"]
        twins = [
            api.post(f"/v1/case/{code}", json={"title": "Twin", "suite_id": suite}).json()[
                "result"
            ]["id"]
            for _ in range(2)
        ]
        file = tmp_path / "twin.csv"
        file.write_text("title,suite\nNew one,New suite\nTwin,S\n")
        done = import_cases(client_env(server, tmp_path), code, file)
        assert done.returncode == 1
        assert (
            f"row 3: 2 cases of the project have this title and suite (ids {twins[0]}, {twins[1]}): "
            "put the id of the one to update in an id column"
        ) in done.stderr
        assert len(cases_of(api, code)) == 2 and len(suite_paths(api, code)) == 2

    def test_dry_run_reports_the_plan_and_writes_nothing(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        existing = api.post(f"/v1/case/{code}", json={"title": "Old title"}).json()["result"]["id"]
        file = tmp_path / "plan.csv"
        file.write_text(f"id,title,suite\n{existing},New title,\n,Fresh,A / B\n")
        done = import_cases(
            client_env(server, tmp_path), code, file, "--dry-run", "--output", "json"
        )
        result = summary(done)
        assert result["dry_run"] is True
        assert (result["created"], result["updated"], result["suites_created"]) == (1, 1, 2)
        assert "  create suite A / B" in done.stderr.splitlines()
        assert f"  update row 2 (case {existing}): title" in done.stderr.splitlines()
        assert "  create row 3: 'Fresh' in A / B" in done.stderr.splitlines()
        assert f"dry run, nothing written: {code} would get 1 created" in done.stderr
        assert [c["title"] for c in cases_of(api, code)] == ["Old title"]
        assert suite_paths(api, code) == {None: ""}

    def test_a_qase_csv_export_imports_with_its_suite_tree_and_ids(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        columns = (
            "v2.id,title,description,preconditions,postconditions,tags,priority,severity,type,"
            "behavior,automation,status,is_flaky,layer,steps_type,steps_actions,steps_result,"
            "steps_data,milestone_id,milestone,suite_id,suite_parent_id,suite,"
            "suite_without_cases,parameters,is_muted\n"
        )
        file = tmp_path / "qase.csv"
        file.write_text(
            columns
            + ",,,,,,,,,,,,,,,,,,,,1,,Payments,1,,\n"
            + ",,,,,,,,,,,,,,,,,,,,2,1,Checkout,1,,\n"
            + '41,Pay by card,,Cart has items,,"smoke,payments",high,critical,functional,'
            + 'positive,to-be-automated,actual,no,e2e,classic,"1. ""Open checkout""\n'
            + '2. ""Enter the card\\nnumber""\n","1. ""Checkout shown""\n2. """"\n",'
            + '"1. """"\n2. ""4111 1111""\n",,,2,1,Checkout,,,no\n'
            + "7,Refund,,,,,,,,,,draft,,,classic,,,,,,3,1,Refunds,,,\n"
            + ",,,,,,,,,,,,,,,,,,,,4,,Empty suite,1,,\n"
        )
        done = import_cases(client_env(server, tmp_path), code, file, "--output", "json")
        result = summary(done)
        assert "columns left out: milestone_id, milestone, parameters, is_muted" in done.stderr
        assert {(c["row"], c["id"]) for c in result["cases"]} == {(4, 41), (5, 7)}
        paths = suite_paths(api, code)
        assert sorted(paths.values()) == [
            "",
            "Empty suite",
            "Payments",
            "Payments > Checkout",
            "Payments > Refunds",
        ]
        card = api.get(f"/v1/case/{code}/41").json()["result"]
        assert paths[card["suite_id"]] == "Payments > Checkout"
        assert steps_tree(card["steps"]) == [
            ("Open checkout", "Checkout shown", None, []),
            ("Enter the card\nnumber", None, "4111 1111", []),
        ]
        assert (card["priority"], card["severity"], card["behavior"], card["automation"]) == (
            1,
            2,
            2,
            1,
        )
        refund = api.get(f"/v1/case/{code}/7").json()["result"]
        assert refund["status"] == 1 and paths[refund["suite_id"]] == "Payments > Refunds"
        again = summary(import_cases(client_env(server, tmp_path), code, file, "--output", "json"))
        assert (again["created"], again["unchanged"], again["suites_created"]) == (0, 2, 0)

    def test_a_qase_suite_tree_with_a_missing_parent_is_an_error(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        file = tmp_path / "tree.csv"
        file.write_text(
            "title,suite_id,suite_parent_id,suite\nA,2,1,Child\nB,3,,Root\nC,3,,Other name\n"
        )
        done = import_cases(client_env(server, tmp_path), code, file)
        assert done.returncode == 1
        assert done.stderr.splitlines()[1:] == [
            "  row 2, column suite_parent_id: suite 1 is not defined by any row",
            "  row 4, column suite: suite 3 is 'Root' under the root on row 3, here 'Other name' "
            "under the root",
        ]
        assert cases_of(api, code) == []

    def test_an_id_kept_by_a_deleted_case_gets_a_new_one(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        file = tmp_path / "ids.csv"
        file.write_text("id,title\n5,Five\n9,Nine\n")
        assert {
            c["id"] for c in summary(import_cases(env, code, file, "--output", "json"))["cases"]
        } == {5, 9}
        assert api.delete(f"/v1/case/{code}/5").status_code == 200
        done = import_cases(env, code, file, "--output", "json")
        result = summary(done)
        assert (result["created"], result["unchanged"]) == (1, 1)
        assert "ids 5 belonged to deleted cases; those rows got new ids" in done.stderr
        renewed = next(c for c in result["cases"] if c["row"] == 2)
        assert renewed["id"] not in (5, 9)
        assert sorted(c["title"] for c in cases_of(api, code)) == ["Five", "Nine"]
        # Next time the row finds its case by title.
        assert summary(import_cases(env, code, file, "--output", "json"))["unchanged"] == 2

    def test_match_title_ignores_ids_from_another_project(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        own = api.post(f"/v1/case/{code}", json={"title": "Ours"}).json()["result"]["id"]
        file = tmp_path / "other.csv"
        file.write_text(f"id,title\n{own},Theirs\n")
        result = summary(
            import_cases(
                client_env(server, tmp_path), code, file, "--match", "title", "--output", "json"
            )
        )
        assert (result["created"], result["updated"]) == (1, 0)
        assert sorted(c["title"] for c in cases_of(api, code)) == ["Ours", "Theirs"]

    def test_a_refused_write_says_what_was_written_and_a_rerun_finishes(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        field = api.post(
            "/v1/custom_field",
            json={
                "title": f"Component {code}",
                "entity": 0,
                "type": 1,
                "is_required": True,
                "projects_codes": [code],
            },
        ).json()["result"]["id"]
        env = client_env(server, tmp_path)
        file = tmp_path / "cases.csv"
        file.write_text("title,suite\nFirst,One\nSecond,Two\n")
        done = import_cases(env, code, file)
        assert done.returncode == 1
        assert f"the server refused row 2 (custom_field[{field}]): " in done.stderr
        assert "Written before it stopped: 2 suites created, 0 cases created" in done.stderr
        assert "Running the same import again is safe" in done.stderr
        assert api.delete(f"/v1/custom_field/{field}").status_code == 200

        rerun = summary(import_cases(env, code, file, "--output", "json"))
        assert (rerun["created"], rerun["suites_created"]) == (2, 0)
        assert sorted(suite_paths(api, code).values()) == ["", "One", "Two"]

    def test_a_viewer_is_refused_at_the_first_write(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        file = tmp_path / "cases.csv"
        file.write_text("title\nOne\n")
        done = import_cases(client_env(server, tmp_path, role="viewer"), code, file)
        assert done.returncode == 1
        assert "HTTP 403" in done.stderr and "0 cases created" in done.stderr
        assert cases_of(api, code) == []

    def test_usage_and_configuration_errors(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        env = client_env(server, tmp_path)
        code = make_project(api)
        file = tmp_path / "cases.csv"
        file.write_text("title\nOne\n")
        missing = import_cases(env, code, tmp_path / "nope.csv")
        assert missing.returncode == 2 and "no such file" in missing.stderr
        no_project = run_testament("import", "cases", str(file), env=env)
        assert no_project.returncode == 2 and "--project" in no_project.stderr
        wrong_format = import_cases(env, code, file, "--format", "xml")
        assert wrong_format.returncode == 2
        unknown = import_cases(env, "NOSUCHPRJ", file)
        assert unknown.returncode == 1 and "HTTP 404" in unknown.stderr
        no_url = {k: v for k, v in env.items() if k != "TESTAMENT_URL"}
        unconfigured = run_testament("export", "cases", "--project", code, env=no_url)
        assert unconfigured.returncode == 1 and "TESTAMENT_URL" in unconfigured.stderr

    def test_bom_semicolons_stdin_and_a_file_that_is_not_utf8(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        excel = tmp_path / "excel.csv"
        excel.write_bytes("\ufeffTitle;Suite;Tags\nÉté ☀;Été / Août;été;\n".encode())
        assert summary(import_cases(env, code, excel, "--output", "json"))["created"] == 1
        case = cases_of(api, code)[0]
        assert case["title"] == "Été ☀" and suite_paths(api, code)[case["suite_id"]] == "Été > Août"
        piped = import_cases(env, code, "-", "--output", "json", stdin="title\nFrom stdin\n")
        assert summary(piped)["created"] == 1
        latin1 = tmp_path / "latin1.csv"
        latin1.write_bytes("title\nok\nÉté\n".encode("latin-1"))
        done = import_cases(env, code, latin1)
        assert done.returncode == 1
        assert "row 3: line 3 is not UTF-8 text" in done.stderr


def make_rich_project(api: httpx.Client) -> str:
    """Cases with everything CSV finds hard: unicode, commas, quotes, newlines, nesting."""
    code = make_project(api)
    auth = api.post(f"/v1/suite/{code}", json={"title": "Auth, «main»"}).json()["result"]["id"]
    login = api.post(
        f"/v1/suite/{code}", json={"title": "Login / Logout", "parent_id": auth}
    ).json()["result"]["id"]
    bodies: list[dict[str, Any]] = [
        {
            "title": 'Say "hi", then leave ✓',
            "suite_id": login,
            "description": "Line one\nLine two, with a comma\n\n- a bullet",
            "preconditions": "Ünïcödé user, 日本語",
            "severity": "critical",
            "priority": "high",
            "type": "regression",
            "behavior": "negative",
            "tags": ["smoke", "a, b", 'quote "q"'],
            "steps": [
                {
                    "action": "Open the page",
                    "expected_result": "It shows",
                    "data": "user, pass",
                    "steps": [
                        {"action": "Nested\nacross lines", "expected_result": '"quoted"'},
                        {"action": "2. looks numbered"},
                    ],
                },
                {"action": '"Starts with a quote', "data": "  padded  "},
                {"action": "Last", "expected_result": "Done"},
            ],
        },
        {"title": "Plain", "suite_id": auth, "status": "draft", "automation": "automated"},
        {
            "title": "Scenario",
            "steps_type": "gherkin",
            "steps": [{"value": "Given a user\nWhen they log in\nThen they see home"}],
        },
        {"title": "At the root, no steps"},
    ]
    for body in bodies:
        assert api.post(f"/v1/case/{code}", json=body).status_code == 200
    return code


class TestExport:
    def test_export_then_import_into_an_empty_project_round_trips(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        source = make_rich_project(api)
        env = client_env(server, tmp_path)
        exported = tmp_path / "cases.csv"
        done = run_testament(
            "export", "cases", "--format", "csv", "--project", source, "--bom",
            "--output", str(exported), env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert f"exported 4 cases of {source} to {exported}" in done.stderr
        raw = exported.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw

        target = make_project(api)
        result = summary(import_cases(env, target, exported, "--output", "json"))
        assert (result["created"], result["suites_created"]) == (4, 2)
        assert comparable(api, target) == comparable(api, source)

        again = run_testament("export", "cases", "--project", target, env=env)
        assert again.returncode == 0, again.stderr
        assert again.stdout.encode() == raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
        unchanged = summary(import_cases(env, source, exported, "--output", "json"))
        assert (unchanged["created"], unchanged["updated"], unchanged["unchanged"]) == (0, 0, 4)

    def test_csv_columns_and_cells(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_rich_project(api)
        done = run_testament("export", "cases", "--project", code, env=client_env(server, tmp_path))
        assert done.returncode == 0, done.stderr
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert list(rows[0]) == [
            "id", "title", "suite", "description", "preconditions", "postconditions",
            "steps_type", "steps_actions", "steps_result", "steps_data", "severity",
            "priority", "type", "behavior", "layer", "is_flaky", "automation", "status", "tags",
        ]  # fmt: skip
        first = rows[0]
        assert first["suite"] == "Auth, «main» / Login \\/ Logout"
        assert first["steps_actions"].splitlines() == [
            "1. Open the page",
            '1.1. "Nested\\nacross lines"',
            "1.2. 2. looks numbered",
            '2. "\\"Starts with a quote"',
            "3. Last",
        ]
        assert first["steps_result"].splitlines() == [
            "1. It shows",
            '1.1. "\\"quoted\\""',
            "3. Done",
        ]
        assert first["steps_data"].splitlines() == ["1. user, pass", '2. "  padded  "']
        assert (first["severity"], first["priority"], first["type"]) == (
            "critical",
            "high",
            "regression",
        )
        assert first["tags"] == '"a, b", "quote ""q""", smoke'
        assert rows[2]["steps_type"] == "gherkin"
        assert (
            rows[2]["steps_actions"] == '1. "Given a user\\nWhen they log in\\nThen they see home"'
        )

    def test_json_export_is_the_api_cases(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_rich_project(api)
        done = run_testament(
            "export", "cases", "--format", "json", "--project", code,
            env=client_env(server, tmp_path),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == cases_of(api, code)

    def test_an_empty_project_exports_a_header_only(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(server, tmp_path)
        done = run_testament("export", "cases", "--project", code, env=env)
        assert done.stdout.splitlines() == [
            "id,title,suite,description,preconditions,postconditions,steps_type,steps_actions,"
            "steps_result,steps_data,severity,priority,type,behavior,layer,is_flaky,automation,"
            "status,tags"
        ]
        as_json = run_testament("export", "cases", "--format", "json", "--project", code, env=env)
        assert json.loads(as_json.stdout) == []
