"""Attachment paths a report names stay inside the report's folder: a report naming
`/etc/passwd` or `../../secret` does not get those files uploaded (unless `--attachments-root`
allows their folder); the refusal is named, and the rest of the report still goes."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.client.upload_kit import make_cases, results_of, summary, upload, upload_env
from tests.factories import make_project
from tests.live import LiveServer


def _report(path: Path, code: str, numbers: list[int], attached: list[str]) -> None:
    cases = "".join(
        f'<testcase classname="s.T" name="test_{code}_{n}">'
        f"<system-out>[[ATTACHMENT|{name}]]</system-out></testcase>"
        for n, name in zip(numbers, attached, strict=True)
    )
    path.write_text(f'<testsuite name="s">{cases}</testsuite>')


def _attached(api: httpx.Client, code: str, run_id: int) -> dict[int, list[str]]:
    return {
        int(r["case_id"]): [a["filename"] for a in r["attachments"]]
        for r in results_of(api, code, run_id)
    }


def test_paths_outside_the_reports_folder_are_refused_and_the_rest_goes(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 4)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the server")
    reports = tmp_path / "ci" / "reports"
    (reports / "logs").mkdir(parents=True)
    (reports / "logs" / "ok.txt").write_text("a log")
    (reports / "linked.txt").symlink_to(secret)  # a link inside pointing outside
    _report(
        reports / "r.xml",
        code,
        numbers,
        ["logs/ok.txt", "/etc/passwd", "../../secret.txt", "linked.txt"],
    )
    env = upload_env(tmp_path, server)
    args = ["-p", code, "--run-title", "Confined", "--output", "json", "ci/reports/r.xml"]
    done = upload("junit", *args, env=env, cwd=tmp_path)
    report = summary(done)
    assert report["results"]["delivered"] == 4
    refused = report["attachments"]["refused"]
    assert len(refused) == 3, refused
    for path, named in zip(refused, ("/etc/passwd", "../../secret.txt", "linked.txt"), strict=True):
        assert path.endswith(named), refused
    for path in ("/etc/passwd", "secret.txt", "linked.txt"):
        assert path in done.stderr
    assert "--attachments-root" in done.stderr
    attached = _attached(api, code, report["run_id"])
    assert attached == {numbers[0]: ["ok.txt"], numbers[1]: [], numbers[2]: [], numbers[3]: []}


def test_attachments_root_allows_another_folder(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    numbers = make_cases(api, code, 2)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "trace.txt").write_text("a trace")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "here.txt").write_text("next to the report")
    _report(reports / "r.xml", code, numbers, ["here.txt", "../elsewhere/trace.txt"])
    env = upload_env(tmp_path, server)
    args = ["-p", code, "--run-title", "Rooted", "--output", "json", "reports/r.xml"]
    report = summary(
        upload("junit", *args, "--attachments-root", "elsewhere", env=env, cwd=tmp_path)
    )
    assert report["attachments"]["refused"] == []
    attached = _attached(api, code, report["run_id"])
    assert attached == {numbers[0]: ["here.txt"], numbers[1]: ["trace.txt"]}
