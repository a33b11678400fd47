"""Which run an upload goes into, and that nothing is stored twice or written by a dry run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client.upload_kit import (
    by_case,
    cases_of,
    make_cases,
    pages,
    refused,
    results_of,
    runs_titled,
    summary,
    upload,
    upload_env,
)
from tests.factories import make_project
from tests.live import LiveServer


def junit_file(
    path: Path, code: str, numbers: list[int], stamp: str = "2026-03-01T10:00:00"
) -> Path:
    cases = "".join(
        f'<testcase classname="shop.T" name="test_{n}_{code}_{n}" time="0.{n}">'
        + ("<failure message='nope'>trace</failure>" if n % 2 else "")
        + "</testcase>"
        for n in numbers
    )
    path.write_text(f'<testsuite name="shop" timestamp="{stamp}">{cases}</testsuite>')
    return path


def test_the_same_upload_twice_stores_each_result_once(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 3)
    (tmp_path / "log.txt").write_text("the log")
    junit_file(tmp_path / "r.xml", code, numbers)
    text = (tmp_path / "r.xml").read_text()
    (tmp_path / "r.xml").write_text(
        text.replace("</testcase>", "<system-out>[[ATTACHMENT|log.txt]]</system-out></testcase>", 1)
    )
    env = upload_env(tmp_path, server)
    args = ["-p", code, "--run-title", "Nightly", "--output", "json", "r.xml"]
    first = summary(upload("junit", *args, env=env, cwd=tmp_path))
    again = summary(upload("junit", *args, env=env, cwd=tmp_path))
    assert first["run_created"] is True
    assert again["run_id"] == first["run_id"] and again["run_reused"] is True
    assert again["results"]["delivered"] == 3  # accepted, and found already stored
    assert again["attachments"]["uploaded"] == 1
    results = results_of(api, code, first["run_id"])
    assert sorted(r["case_id"] for r in results) == sorted(numbers)
    with_file = [r for r in results if r["attachments"]]
    assert len(with_file) == 1 and with_file[0]["attachments"][0]["filename"] == "log.txt"

    # A re-run job writes a new report (new timestamps): its results are new results.
    junit_file(tmp_path / "r.xml", code, numbers, stamp="2026-03-01T11:00:00")
    rerun = summary(upload("junit", *args, env=env, cwd=tmp_path))
    assert rerun["run_id"] == first["run_id"]
    assert len(results_of(api, code, first["run_id"])) == 6


@pytest.mark.both_backends  # concurrent shards
def test_parallel_shards_land_in_one_run(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 8)
    env = upload_env(tmp_path, server, CI_PIPELINE_ID="4711")
    shards = []
    for index in range(4):
        report = junit_file(
            tmp_path / f"shard{index}.xml", code, numbers[index * 2 : index * 2 + 2]
        )
        shards.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "testament",
                    "upload",
                    "junit",
                    "-p",
                    code,
                    "--run-title",
                    "Pipeline {env:CI_PIPELINE_ID}",
                    "--output",
                    "json",
                    str(report),
                ],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = [shard.communicate(timeout=120) for shard in shards]
    assert [shard.returncode for shard in shards] == [0, 0, 0, 0], outputs
    chosen = {
        summary(subprocess.CompletedProcess([], 0, out, err))["run_id"] for out, err in outputs
    }
    assert len(chosen) == 1
    (run_id,) = chosen
    # Runs a shard created and did not use are deleted: one run with this title is left.
    assert [run["id"] for run in runs_titled(api, code, "Pipeline 4711")] == [run_id]
    assert sorted(r["case_id"] for r in results_of(api, code, run_id)) == sorted(numbers)


def test_into_a_run_given_by_id_or_url(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 2)
    run_id = api.post(f"/v1/run/{code}", json={"title": "manual"}).json()["result"]["id"]
    junit_file(tmp_path / "r.xml", code, numbers)
    env = upload_env(tmp_path, server)
    by_id = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-id",
            str(run_id),
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert by_id["run_id"] == run_id and by_id["run_created"] is False
    # A run URL names the project too; QASE_TESTOPS_RUN_ID is read as the run.
    by_url = summary(
        upload(
            "junit",
            "--run-id",
            f"{server.url}/run/{code}/dashboard/{run_id}",
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert by_url["run_id"] == run_id and by_url["project"] == code
    by_env = summary(
        upload(
            "junit",
            "-p",
            code,
            "--output",
            "json",
            "r.xml",
            env={**env, "QASE_TESTOPS_RUN_ID": str(run_id)},
            cwd=tmp_path,
        )
    )
    assert by_env["run_id"] == run_id
    assert len(results_of(api, code, run_id)) == 2

    elsewhere = refused(
        upload(
            "junit",
            "--run-id",
            f"https://other.example.com/run/{code}/dashboard/{run_id}",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert "not on the server this command talks to" in elsewhere
    assert api.post(f"/v1/run/{code}/{run_id}/complete").status_code == 200
    completed = refused(
        upload("junit", "-p", code, "--run-id", str(run_id), "r.xml", env=env, cwd=tmp_path)
    )
    assert f"run {run_id} of project {code} is completed" in completed
    # An open run is reused by its title; a completed one is not.
    fresh = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "manual",
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert fresh["run_created"] is True and fresh["run_id"] != run_id


def test_run_settings_and_complete(server: LiveServer, api: httpx.Client, tmp_path: Path) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 3)
    assert (
        api.post(
            f"/v1/environment/{code}", json={"title": "Staging", "slug": "staging"}
        ).status_code
        == 200
    )
    assert api.post(f"/v1/milestone/{code}", json={"title": "Release 2"}).status_code == 200
    plan = api.post(f"/v1/plan/{code}", json={"title": "Regression", "cases": numbers}).json()[
        "result"
    ]["id"]
    junit_file(tmp_path / "r.xml", code, numbers[:2])
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "Release run",
            "--run-description",
            "from CI",
            "--environment",
            "staging",
            "--milestone",
            "Release 2",
            "--plan",
            str(plan),
            "--tag",
            "nightly",
            "--tag",
            "ci",
            "--complete",
            "--output",
            "json",
            "r.xml",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert done["completed"] is True
    run = api.get(f"/v1/run/{code}/{done['run_id']}", params={"include": "cases"}).json()["result"]
    assert run["status_text"] in ("passed", "failed")
    assert run["description"] == "from CI"
    assert run["environment"]["slug"] == "staging"
    assert run["milestone"]["title"] == "Release 2"
    assert sorted(tag["title"] for tag in run["tags"]) == ["ci", "nightly"]
    assert run["plan_id"] == plan
    assert sorted(run["cases"]) == sorted(numbers)  # the plan's cases joined the run
    assert run["stats"]["untested"] == 1


def test_dry_run_prints_the_plan_and_writes_nothing(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 3)
    (tmp_path / "shot.png").write_bytes(b"png" * 100)
    xml = "".join(
        [
            f'<testcase classname="a.B" name="first {code}-{numbers[0]}"><system-out>[[ATTACHMENT|shot.png]]</system-out></testcase>',
            f'<testcase classname="a.B" name="again {code}-{numbers[0]}"/>',
            f'<testcase classname="a.B" name="second {code}-{numbers[1]}"/>',
            f'<testcase classname="a.B" name="ghost {code}-999999"/>',
            '<testcase classname="a.B" name="nobody"/>',
        ]
    )
    (tmp_path / "r.xml").write_text(f"<testsuite>{xml}</testsuite>")
    env = upload_env(tmp_path, server)
    before = (
        len(pages(api, f"/v1/run/{code}")),
        len(cases_of(api, code)),
        len(pages(api, "/v1/attachment")),
    )
    plan = summary(
        upload(
            "junit",
            "-p",
            code,
            "--dry-run",
            "--batch-size",
            "1",
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        ),
        exit_code=1,  # as the real upload would: an unmatched test and a missing case
    )
    assert plan["dry_run"] is True and plan["would_create_run"] is True
    assert plan["results"]["total"] == 5
    assert plan["results"]["matched"] == 3
    assert plan["results"]["unmatched"] == 1
    assert plan["results"]["missing_cases"] == 1
    assert plan["missing_cases"] == [999999]
    assert plan["unmatched"] == ["r.xml: nobody"]
    assert plan["duplicates"] == {f"{code}-{numbers[0]}": 2}
    assert plan["batches"] == 3 and plan["results"]["delivered"] == 3
    assert plan["attachments"]["uploaded"] == 1 and plan["attachments"]["bytes"] == 300
    assert "match no case" in plan["error"]

    text = upload(
        "junit", "-p", code, "--dry-run", "--ignore-unmatched", "r.xml", env=env, cwd=tmp_path
    )
    assert text.returncode == 0, text.stderr
    assert f"Plan for project {code} (dry run: nothing was written)" in text.stdout
    assert "unmatched:   1" in text.stdout
    assert f"{code}-{numbers[0]} x2" in text.stdout
    after = (
        len(pages(api, f"/v1/run/{code}")),
        len(cases_of(api, code)),
        len(pages(api, "/v1/attachment")),
    )
    assert after == before


def test_missing_cases_stop_the_upload_unless_ignored(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    (real,) = make_cases(api, code, 1)
    (tmp_path / "r.xml").write_text(
        f'<testsuite><testcase name="ok {code}-{real}"/><testcase name="typo {code}-{real + 500}"/></testsuite>'
    )
    env = upload_env(tmp_path, server)
    stopped = refused(
        upload("junit", "-p", code, "--run-title", "t", "r.xml", env=env, cwd=tmp_path)
    )
    assert "1 result naming a case that does not exist" in stopped
    assert f"r.xml: typo {code}-{real + 500}  (names missing case {real + 500})" in stopped
    assert runs_titled(api, code, "t") == []
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "t",
            "--ignore-unmatched",
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert (done["results"]["delivered"], done["results"]["skipped"]) == (1, 1)


def test_attachments_over_the_limit_are_skipped(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    (case,) = make_cases(api, code, 1)
    (tmp_path / "small.txt").write_text("s" * 10)
    (tmp_path / "video.webm").write_bytes(b"v" * 2000)
    (tmp_path / "r.xml").write_text(
        f'<testsuite><testcase name="t {code}-{case}"><system-out>'
        "[[ATTACHMENT|small.txt]] [[ATTACHMENT|video.webm]] [[ATTACHMENT|gone.log]]"
        "</system-out></testcase></testsuite>"
    )
    env = upload_env(tmp_path, server, TESTAMENT_ATTACHMENT_MAX_FILE_BYTES="1000")
    done = upload(
        "junit",
        "-p",
        code,
        "--run-title",
        "files",
        "--output",
        "json",
        "r.xml",
        env=env,
        cwd=tmp_path,
    )
    data = summary(done)
    assert "video.webm is 2000 bytes, over the limit of 1000" in done.stderr
    assert "gone.log not found" in done.stderr
    assert data["attachments"]["uploaded"] == 1
    assert [Path(p).name for p in data["attachments"]["too_large"]] == ["video.webm"]
    (result,) = results_of(api, code, data["run_id"])
    assert [a["filename"] for a in result["attachments"]] == ["small.txt"]
    flag = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "files2",
            "--max-attachment-bytes",
            "5000",
            "--output",
            "json",
            "r.xml",
            env=env,
            cwd=tmp_path,
        )
    )
    assert flag["attachments"]["uploaded"] == 2


def test_a_batch_over_the_server_limit_is_split(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    """The server takes 2000 results a request: a batch of 2001 gets 413 and goes in halves."""
    code = make_project(api)
    (case,) = make_cases(api, code, 1)
    rows = "".join(f'<testcase classname="x" name="t{n} {code}-{case}"/>' for n in range(2001))
    (tmp_path / "r.xml").write_text(f"<testsuite>{rows}</testsuite>")
    done = summary(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "many",
            "--batch-size",
            "2001",
            "--output",
            "json",
            "r.xml",
            env=upload_env(tmp_path, server),
            cwd=tmp_path,
        )
    )
    assert done["results"]["delivered"] == 2001 and done["results"]["failed"] == 0
    assert len(results_of(api, code, done["run_id"])) == 2001


def test_the_alias_and_what_a_bad_setup_is_told(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    (case,) = make_cases(api, code, 1)
    (tmp_path / "r.xml").write_text(f'<testsuite><testcase name="t {code}-{case}"/></testsuite>')
    env = upload_env(tmp_path, server)
    alias = subprocess.run(
        [
            sys.executable,
            "-m",
            "testament",
            "junit-upload",
            "-p",
            code,
            "--output",
            "json",
            "r.xml",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert summary(alias)["results"]["delivered"] == 1
    assert summary(alias)["run_title"].startswith("Automated run ")

    no_url = refused(
        upload("junit", "-p", code, "r.xml", env={**env, "TESTAMENT_URL": ""}, cwd=tmp_path)
    )
    assert "No url configured" in no_url and "TESTAMENT_URL" in no_url
    no_project = refused(upload("junit", "r.xml", env=env, cwd=tmp_path))
    assert "No project" in no_project and "TESTAMENT_PROJECT" in no_project
    no_file = refused(upload("junit", "-p", code, "missing.xml", env=env, cwd=tmp_path))
    assert "missing.xml: no such file or folder" in no_file
    unknown = refused(upload("junit", "-p", "NOSUCH", "r.xml", env=env, cwd=tmp_path))
    assert "Project NOSUCH not found" in unknown
    viewer = refused(
        upload(
            "junit",
            "-p",
            code,
            "--run-title",
            "v",
            "r.xml",
            env=upload_env(tmp_path, server, "viewer"),
            cwd=tmp_path,
        )
    )
    assert "HTTP 403" in viewer
    both = refused(
        upload(
            "junit", "-p", code, "--run-id", "1", "--run-title", "x", "r.xml", env=env, cwd=tmp_path
        )
    )
    assert "give --run-id or --run-title, not both" in both
    by_case_results = by_case(results_of(api, code, summary(alias)["run_id"]))
    assert list(by_case_results) == [case]


@pytest.mark.both_backends  # concurrent shards
def test_two_shards_creating_at_once_both_use_the_older_run(
    server: LiveServer, api: httpx.Client
) -> None:
    """The race, made certain: another shard creates the run between this one's look and its
    own create. This one then takes the other's (older) run and deletes its own empty one."""
    from testament.client.config import ClientConfig
    from testament.client.http import ApiClient
    from testament.client.upload import runs

    code = make_project(api)
    rivals: list[int] = []

    class RacedClient(ApiClient):
        def request(self, method: str, path: str, **options: Any) -> Any:
            if method == "POST" and path == f"/v1/run/{code}" and not rivals:
                made = api.post(f"/v1/run/{code}", json={"title": "Shard run", "is_autotest": True})
                rivals.append(made.json()["result"]["id"])
            return super().request(method, path, **options)

    notes: list[str] = []
    with RacedClient(ClientConfig(url=server.url, token=server.tokens["admin"])) as client:
        chosen = runs.find_or_create(
            client, code, runs.RunSettings(title="Shard run"), notes.append
        )
    assert chosen.id == rivals[0] and chosen.reused and not chosen.created
    assert [run["id"] for run in runs_titled(api, code, "Shard run")] == rivals
    assert notes == []


def test_a_progress_bar_only_on_a_terminal(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    import os
    import pty

    code = make_project(api)
    numbers = make_cases(api, code, 3)
    junit_file(tmp_path / "r.xml", code, numbers)
    env = upload_env(tmp_path, server)
    command = [
        sys.executable,
        "-m",
        "testament",
        "upload",
        "junit",
        "-p",
        code,
        "--run-title",
        "bar",
        "r.xml",
    ]

    def stderr_on_a_terminal(*extra: str) -> str:
        terminal, child_side = pty.openpty()
        try:
            done = subprocess.run(
                [*command, *extra],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=child_side,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0
            os.close(child_side)
            chunks = []
            while True:
                try:
                    chunk = os.read(terminal, 4096)
                except OSError:  # the other side is closed: all read
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks).decode()
        finally:
            os.close(terminal)

    drawn = stderr_on_a_terminal()
    assert "\rUploading results [" in drawn and "] 3/3" in drawn
    assert "Results: 3 delivered" in drawn
    assert "Uploading results" not in stderr_on_a_terminal("--no-progress")
    piped = upload("junit", "-p", code, "--run-title", "bar", "r.xml", env=env, cwd=tmp_path)
    assert piped.returncode == 0 and "Uploading results" not in piped.stderr
    assert "Results: 3 delivered" in piped.stderr
