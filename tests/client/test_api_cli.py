"""`testament api` end to end: the real command against a live server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.client.api_cli import client_env, failed, ok, run_api, run_cli
from tests.factories import make_project
from tests.live import LiveServer


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


class TestCrud:
    def test_suites_create_list_get_update_delete(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        created = ok(run_api("suites", "create", "--title", "Checkout", env=env))
        suite_id = str(created["id"])
        ok(run_api("suites", "create", "--title", "Child", "--parent-id", suite_id, env=env))
        listed = ok(run_api("suites", "list", "--search", "Check", env=env))
        assert [s["title"] for s in listed["entities"]] == ["Checkout"]
        ok(run_api("suites", "update", "--id", suite_id, "--description", "Paying", env=env))
        got = ok(run_api("suites", "get", "--id", suite_id, env=env))
        assert (got["title"], got["description"]) == ("Checkout", "Paying")
        assert ok(run_api("suites", "delete", "--id", suite_id, env=env)) == {"id": int(suite_id)}
        assert _ok(api.get(f"/v1/suite/{code}"))["total"] == 0  # the child went with it

    def test_milestones_and_environments(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server)
        milestone = ok(
            run_api(
                "milestones", "create", "--project-code", code, "--title", "1.0",
                "--status", "active", "--due-date", "1767225600", env=env,
            )
        )  # fmt: skip
        got = ok(
            run_api("milestones", "get", "--code", code, "--id", str(milestone["id"]), env=env)
        )
        assert (got["title"], got["status"]) == ("1.0", "active")
        ok(
            run_api(
                "milestones", "update", "--code", code, "--id", str(milestone["id"]),
                "--status", "completed", env=env,
            )
        )  # fmt: skip
        assert _ok(api.get(f"/v1/milestone/{code}/{milestone['id']}"))["status"] == "completed"
        environment = ok(
            run_api(
                "environments", "create", "--project-code", code, "--title", "Staging",
                "--slug", "staging", "--host", "staging.example.com", env=env,
            )
        )  # fmt: skip
        listed = ok(run_api("environments", "list", "--project-code", code, "--all", env=env))
        assert [(e["id"], e["slug"], e["host"]) for e in listed] == [
            (environment["id"], "staging", "staging.example.com")
        ]
        ok(run_api("environments", "delete", "--code", code, "--id", "1", env=env))
        assert ok(run_api("environments", "list", "--project-code", code, "--all", env=env)) == []

    def test_defects_with_an_any_json_field_and_a_status_change(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        defect = ok(
            run_api(
                "defects", "create", "--title", "Blank page", "--actual-result", "Nothing shows",
                "--severity", "2", "--tags", "ui,login", env=env,
            )
        )  # fmt: skip
        number = str(defect["id"])
        ok(run_api("defects", "update-status", "--id", number, "--status", "in_progress", env=env))
        got = ok(run_api("defects", "get", "--id", number, env=env))
        assert got["status"] == "in_progress"
        assert sorted(t["title"] for t in got["tags"]) == ["login", "ui"]
        listed = ok(run_api("defects", "list", "--status", "in_progress", env=env))
        assert [d["id"] for d in listed["entities"]] == [int(number)]

    def test_runs_results_and_completion(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        case = ok(run_api("cases", "create", "--title", "Login works", env=env))["id"]
        run = ok(run_api("runs", "create", "--title", "Nightly", "--cases", str(case), env=env))
        run_id = str(run["id"])
        result = ok(
            run_api(
                "results", "create", "--run-id", run_id, "--case-id", str(case), "--status",
                "failed", "--comment", "boom", "--time-ms", "1500", env=env,
            )
        )  # fmt: skip
        ok(
            run_api(
                "results", "bulk", "--run-id", run_id,
                "--results", json.dumps([{"case_id": case, "status": "passed"}]), env=env,
            )
        )  # fmt: skip
        got = ok(run_api("results", "get", "--hash", result["hash"], env=env))
        assert (got["status"], got["comment"]) == ("failed", "boom")
        assert ok(run_api("runs", "complete", "--id", run_id, env=env)) == {"status": True}
        public = ok(run_api("runs", "public", "--id", run_id, "--status", env=env))
        assert public["url"].startswith("http")
        listed = ok(run_api("runs", "list", "--status", "complete", env=env))
        assert [r["id"] for r in listed["entities"]] == [int(run_id)]

    def test_attachments_upload_from_file_paths(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        (tmp_path / "log.txt").write_text("line one\n")
        (tmp_path / "shot.png").write_bytes(b"\x89PNG fake")
        uploaded = ok(
            run_api(
                "attachments", "upload", "--project-code", code,
                "--file", str(tmp_path / "log.txt"), "--file", str(tmp_path / "shot.png"),
                env=client_env(tmp_path, server),
            )
        )  # fmt: skip
        assert [u["filename"] for u in uploaded] == ["log.txt", "shot.png"]
        got = ok(
            run_api(
                "attachments",
                "get",
                "--hash",
                uploaded[0]["hash"],
                env=client_env(tmp_path, server),
            )
        )
        assert got["size"] == len("line one\n")


class TestBodies:
    def test_body_body_file_and_stdin_with_field_flags_winning(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        body = {"title": "From the body", "description": "body", "tags": ["body"]}
        first = ok(run_api("cases", "create", "--body", json.dumps(body), env=env))
        (tmp_path / "case.json").write_text(json.dumps(body))
        second = ok(
            run_api(
                "cases", "create", "--body-file", str(tmp_path / "case.json"),
                "--title", "The flag wins", "--tags", '["flag"]', env=env,
            )
        )  # fmt: skip
        third = ok(
            run_api(
                "cases", "create", "--body-file", "-", "--is-manual", "--no-is-to-be-automated",
                stdin=json.dumps({**body, "isManual": False, "isToBeAutomated": True}), env=env,
            )
        )  # fmt: skip
        cases = {
            c["id"]: c for c in _ok(api.get(f"/v1/case/{code}", params={"limit": 10}))["entities"]
        }
        assert cases[first["id"]]["title"] == "From the body"
        assert [t["title"] for t in cases[first["id"]]["tags"]] == ["body"]
        assert cases[second["id"]]["title"] == "The flag wins"
        assert cases[second["id"]]["description"] == "body"  # the body's other fields stay
        assert [t["title"] for t in cases[second["id"]]["tags"]] == ["flag"]
        assert cases[third["id"]]["isManual"] is True
        assert cases[third["id"]]["isToBeAutomated"] is False

    def test_object_and_array_flags_take_json_and_lists_take_commas(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        steps = [{"action": "Open /login", "expected_result": "A form"}]
        case = ok(
            run_api(
                "cases", "create", "--title", "Login", "--steps", json.dumps(steps),
                "--tags", "smoke, login", env=env,
            )
        )  # fmt: skip
        got = ok(run_api("cases", "get", "--id", str(case["id"]), env=env))
        assert [s["action"] for s in got["steps"]] == ["Open /login"]
        assert sorted(t["title"] for t in got["tags"]) == ["login", "smoke"]
        ok(run_api("cases", "create", "--title", "Logout", env=env))
        plan = ok(run_api("plans", "create", "--title", "P", "--cases", "2, 1", env=env))
        cases = _ok(api.get(f"/v1/plan/{code}/{plan['id']}"))["cases"]
        assert [c["case_id"] for c in cases] == [2, 1]

    def test_bad_json_names_the_flag_and_is_a_usage_error(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        assert "--custom-field" in failed(
            run_api("cases", "create", "--title", "x", "--custom-field", "{oops", env=env), 2
        )
        assert "--body" in failed(run_api("cases", "create", "--body", "[1, 2]", env=env), 2)
        assert "--body-file" in failed(
            run_api("cases", "create", "--body-file", str(tmp_path / "missing.json"), env=env), 2
        )
        both = run_api("cases", "create", "--body", "{}", "--body-file", "-", stdin="{}", env=env)
        assert "not both" in failed(both, 2)
        assert _ok(api.get(f"/v1/case/{code}"))["total"] == 0


class TestErrorsAndExitCodes:
    def test_server_field_errors_name_the_flags(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        message = failed(run_api("projects", "grant-access", env=env))
        assert "HTTP 422" in message
        assert "--member-id: This field is required." in message
        nested = failed(
            run_api("cases", "create", "--title", "x", "--steps", '[{"action": 5}]', env=env)
        )
        assert "--steps (steps[0].action)" in nested
        query = failed(run_api("cases", "list", "--limit", "1000", env=env))
        assert "HTTP 400" in query and "--limit" in query
        camel = failed(
            run_api("cases", "create", "--body", '{"title": "x", "isManual": 3}', env=env)
        )
        assert "--is-manual (isManual)" in camel

    def test_not_found_and_forbidden_exit_1_with_the_servers_message(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path, server)
        missing = failed(run_api("cases", "get", "--project-code", code, "--id", "999", env=env))
        assert f"GET /v1/case/{code}/999: HTTP 404" in missing
        viewer = client_env(tmp_path, server, role="viewer")
        assert "HTTP 403" in failed(
            run_api("projects", "create", "--title", "T", "--code", "NOPE", env=viewer)
        )
        bad_token = client_env(tmp_path, server, TESTAMENT_TOKEN="not-a-token")
        assert "HTTP 401" in failed(run_api("users", "list", env=bad_token))

    def test_usage_errors_exit_2(self, server: LiveServer, tmp_path: Path) -> None:
        env = client_env(tmp_path, server)
        assert "--nope" in failed(run_api("cases", "list", "--nope", env=env), 2)
        assert "--limit" in failed(run_api("cases", "list", "--limit", "many", env=env), 2)
        assert "nope" in failed(run_api("cases", "nope", env=env), 2)
        no_project = failed(run_api("cases", "list", env=env), 2)
        assert "--project-code" in no_project and "TESTAMENT_PROJECT" in no_project

    def test_missing_url_or_token_says_how_to_configure_and_exits_1(self, tmp_path: Path) -> None:
        message = failed(run_api("users", "list", env=client_env(tmp_path)))
        assert "No url and no token configured" in message
        assert "TESTAMENT_URL" in message and "QASE_TESTOPS_API_TOKEN" in message
        only_url = client_env(tmp_path, TESTAMENT_URL="http://127.0.0.1:9")
        assert "No token configured" in failed(run_api("users", "list", env=only_url))


class TestPaging:
    def test_all_follows_pages_and_limit_alone_is_one_page(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        cases = [{"title": f"Case {n}"} for n in range(1, 106)]
        _ok(api.post(f"/v1/case/{code}/bulk", json={"cases": cases}))
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        page = ok(run_api("cases", "list", "--limit", "3", "--offset", "1", env=env))
        assert (page["total"], page["count"]) == (105, 3)
        assert [c["title"] for c in page["entities"]] == ["Case 2", "Case 3", "Case 4"]
        every = ok(run_api("cases", "list", "--all", env=env))
        assert [c["title"] for c in every] == [f"Case {n}" for n in range(1, 106)]
        small_pages = ok(
            run_api("cases", "list", "--all", "--limit", "40", "--offset", "100", env=env)
        )
        assert [c["title"] for c in small_pages] == [f"Case {n}" for n in range(101, 106)]

    def test_all_follows_the_audit_logs_cursor(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        for n in range(3):
            _ok(api.post(f"/v1/suite/{code}", json={"title": f"S{n}"}))
        env = client_env(tmp_path, server)
        entries = ok(
            run_api(
                "audit-log", "list", "--project", code, "--entity-type", "suite", "--limit", "2",
                "--all", env=env,
            )
        )  # fmt: skip
        assert [(e["action"], e["entity_type"]) for e in entries] == [("create", "suite")] * 3
        one_page = ok(run_api("audit-log", "list", "--project", code, "--limit", "2", env=env))
        assert one_page["count"] == 2 and one_page["next_cursor"]


class TestExtras:
    def test_cases_count_is_total_and_filtered(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        for severity in ("critical", "critical", "minor"):
            _ok(api.post(f"/v1/case/{code}", json={"title": "c", "severity": severity}))
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        assert ok(run_api("cases", "count", env=env)) == {"total": 3, "filtered": 3}
        counted = ok(run_api("cases", "count", "--severity", "critical", env=env))
        assert counted == {"total": 3, "filtered": 2}

    def test_runs_clone_copies_cases_and_settings(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        for title in ("One", "Two", "Three"):
            _ok(api.post(f"/v1/case/{code}", json={"title": title}))
        milestone = _ok(api.post(f"/v1/milestone/{code}", json={"title": "Sprint 1"}))["id"]
        _ok(api.post(f"/v1/milestone/{code}", json={"title": "Sprint 10"}))
        _ok(api.post(f"/v1/environment/{code}", json={"title": "Staging", "slug": "staging"}))
        plan = _ok(api.post(f"/v1/plan/{code}", json={"title": "P", "cases": [1, 3]}))["id"]
        source = _ok(
            api.post(
                f"/v1/run/{code}",
                json={
                    "title": "Nightly",
                    "description": "Every night",
                    "plan_id": plan,
                    "milestone_id": milestone,
                    "environment_slug": "staging",
                    "tags": ["nightly", "web"],
                },
            )
        )["id"]
        env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
        copy = ok(run_api("runs", "clone", "--id", str(source), env=env))["id"]
        renamed = ok(
            run_api(
                "runs", "clone", "--id", str(source), "--title", "Retry", "--tags", "retry", env=env
            )
        )["id"]
        original = _ok(api.get(f"/v1/run/{code}/{source}", params={"include": "cases"}))
        for number, title, tags in (
            (copy, "Nightly (copy)", ["nightly", "web"]),
            (renamed, "Retry", ["retry"]),
        ):
            run = _ok(api.get(f"/v1/run/{code}/{number}", params={"include": "cases"}))
            assert run["title"] == title
            assert sorted(t["title"] for t in run["tags"]) == tags
            for key in ("cases", "description", "plan_id", "milestone", "environment"):
                assert run[key] == original[key], key
        assert original["cases"] == [1, 3]

    def test_tags_list_reads_every_page(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        cases: list[dict[str, Any]] = [{"title": f"C{n}", "tags": ["bulk"]} for n in range(101)]
        cases.append({"title": "Last", "tags": ["Zeta", "alpha", "bulk"]})
        _ok(api.post(f"/v1/case/{code}/bulk", json={"cases": cases}))
        tags = ok(run_api("tags", "list", "--project-code", code, env=client_env(tmp_path, server)))
        assert tags == [
            {"title": "alpha", "cases": 1},
            {"title": "bulk", "cases": 102},
            {"title": "Zeta", "cases": 1},
        ]


class TestQaseNamesAndGroupOptions:
    def test_qase_testops_names_give_token_project_and_run(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        case = _ok(api.post(f"/v1/case/{code}", json={"title": "Login"}))["id"]
        run = _ok(api.post(f"/v1/run/{code}", json={"title": "CI", "cases": [case]}))["id"]
        env = client_env(tmp_path, TESTAMENT_URL=server.url)
        env |= {
            "QASE_TESTOPS_API_TOKEN": server.tokens["admin"],
            "QASE_TESTOPS_PROJECT": code.lower(),
            "QASE_TESTOPS_RUN_ID": str(run),
        }
        ok(run_api("results", "create", "--case-id", str(case), "--status", "passed", env=env))
        ok(
            run_api(
                "results", "create-v2", "--title", "Login", "--testops-id", str(case),
                "--execution", '{"status": "failed"}', "--id", "key-1", env=env,
            )
        )  # fmt: skip
        results = _ok(api.get(f"/v1/result/{code}", params={"run": run}))["entities"]
        assert sorted(r["status"] for r in results) == ["failed", "passed"]

    def test_group_options_apply_to_the_command_and_its_own_flags_win(
        self, server: LiveServer, api: httpx.Client, tmp_path: Path
    ) -> None:
        code = make_project(api)
        env = client_env(tmp_path)
        token = server.tokens["admin"]
        got = ok(
            run_api(
                "--url", server.url, "--token", token, "--project", code, "projects", "get", env=env
            )
        )
        assert got["code"] == code
        wins = ok(
            run_api(
                "--url", server.url, "--token", "wrong", "projects", "get", "--project-code", code,
                "--token", token, env=env,
            )
        )  # fmt: skip
        assert wins["code"] == code


class TestHelpAndCompletion:
    def test_help_shows_signature_example_and_rest_path(self, tmp_path: Path) -> None:
        env = client_env(tmp_path)
        for args, calls in (
            (("cases", "get"), "Calls: GET /v1/case/{code}/{id}"),
            (("results", "bulk-v2"), "Calls: POST /v2/{project_code}/run/{run_id}/results"),
            (
                ("runs", "clone"),
                "Calls: GET /v1/run/{code}/{id}?include=cases, then POST /v1/run/{code}",
            ),
        ):
            for help_flag in ("-h", "--help"):
                done = run_api(*args, help_flag, env=env)
                assert done.returncode == 0, done.stderr
                assert calls in done.stdout
                assert f"Signature: testament api {' '.join(args)}" in done.stdout
                assert f"Example: testament api {' '.join(args)}" in done.stdout
        cases_get = run_api("cases", "get", "-h", env=env).stdout
        assert "--project-code" in cases_get and "--id" in cases_get and "--include" in cases_get
        assert "Exit status: 0" in cases_get
        groups = run_api("-h", env=env).stdout
        assert "shared-parameters" in groups and "audit-log" in groups and "tags" in groups

    def test_top_level_help_lists_api(self, tmp_path: Path) -> None:
        done = run_cli("--help", env=client_env(tmp_path))
        assert done.returncode == 0 and "api" in done.stdout

    def test_shell_completion_script_and_completions_of_generated_commands(
        self, tmp_path: Path
    ) -> None:
        program = str(Path(sys.executable).parent / "testament")
        env = client_env(tmp_path)
        # Typer names the shell from the process tree (the `bash` after the flag is ignored):
        # run it from bash, as a user does, not from whatever runs the tests.
        script = subprocess.run(
            ["bash", "-c", f'"{program}" --show-completion'],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert script.returncode == 0, script.stderr
        assert "_TESTAMENT_COMPLETE=complete_bash" in script.stdout
        assert "complete -o default -F _testament_completion testament" in script.stdout

        def complete(words: str) -> list[str]:
            done = subprocess.run(
                [program],
                env={
                    **env,
                    "_TESTAMENT_COMPLETE": "complete_bash",
                    "COMP_WORDS": words,
                    "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
                },
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            return done.stdout.split()

        assert complete("testament api ca") == ["cases"]
        assert "clone" in complete("testament api runs ")
        assert complete("testament api cases create --steps-type ") == ["classic", "gherkin"]
        assert complete("testament api runs clone --ti") == ["--title"]
