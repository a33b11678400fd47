"""Every `testament api` command, generated from the endpoint table, runs its own `-h` example
against a live server with real data and answers JSON (or a clean error, never a traceback)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from testament.cli.main import app
from testament.client.composite import composites
from testament.client.operations import OPERATIONS
from testament.client.spec import Operation
from tests.client.api_cli import client_env, ok, run_api
from tests.factories import make_project, unique_code
from tests.live import LiveServer

COMMANDS = [*OPERATIONS, *(c.operation for c in composites(OPERATIONS))]


def _ok(response: httpx.Response) -> Any:
    assert response.status_code in (200, 202), response.text
    return response.json().get("result")


def seed(api_client: httpx.Client, workdir: Path) -> dict[str, str]:
    """A project with one of everything; the values the examples' path flags take, by
    `resource:flag`."""
    code = make_project(api_client)
    post = api_client.post
    for title in ("Login works", "Logout works"):
        _ok(post(f"/v1/case/{code}", json={"title": title, "tags": ["smoke"]}))
    suite = _ok(post(f"/v1/suite/{code}", json={"title": "Suite"}))["id"]
    milestone = _ok(post(f"/v1/milestone/{code}", json={"title": "M1"}))["id"]
    environment = _ok(post(f"/v1/environment/{code}", json={"title": "Env", "slug": "env"}))["id"]
    plan = _ok(post(f"/v1/plan/{code}", json={"title": "Plan", "cases": [1, 2]}))["id"]
    run = _ok(post(f"/v1/run/{code}", json={"title": "Run", "cases": [1, 2]}))["id"]
    result = _ok(post(f"/v1/result/{code}/{run}", json={"case_id": 1, "status": "passed"}))
    defect = _ok(
        post(f"/v1/defect/{code}", json={"title": "D", "actual_result": "x", "severity": 1})
    )["id"]
    step = _ok(post(f"/v1/shared_step/{code}", json={"title": "Step", "action": "Click"}))["hash"]
    review = _ok(post(f"/v1/review/{code}", json={"proposed_case": {"title": "New"}}))["id"]
    _ok(post(f"/v1/configuration/{code}/group", json={"title": "Browser"}))
    attachment = _ok(
        post(f"/v1/attachment/{code}", files=[("file[]", ("a.txt", b"hello", "text/plain"))])
    )[0]["hash"]
    field = _ok(
        post("/v1/custom_field", json={"title": f"F {unique_code(6)}", "entity": 0, "type": 1})
    )["id"]
    parameter = _ok(
        post(
            "/v1/shared_parameter",
            json={
                "title": "Browsers",
                "type": "single",
                "is_enabled_for_all_projects": False,
                "parameters": [{"title": "browser", "values": ["chrome"]}],
            },
        )
    )["id"]
    author = _ok(api_client.get("/v1/author", params={"limit": 1}))["entities"][0]["id"]
    for name in ("screenshot.png", "log.txt"):
        (workdir / name).write_bytes(b"attachment")
    return {
        "*:--project-code": code,
        "*:--run-id": str(run),
        "suites:--id": str(suite),
        "milestones:--id": str(milestone),
        "cases:--id": "1",
        "environments:--id": str(environment),
        "plans:--id": str(plan),
        "runs:--id": str(run),
        "defects:--id": str(defect),
        "reviews:--id": str(review),
        "custom-fields:--id": str(field),
        "shared-parameters:--id": str(parameter),
        "users:--id": "1",
        "authors:--id": str(author),
        "shared-steps:--hash": step,
        "attachments:--hash": attachment,
        "results:--hash": str(result["hash"]),
    }


def example_arguments(op: Operation, values: dict[str, str]) -> list[str]:
    """The example's flags, with the path flags pointing at the seeded entities."""
    words = shlex.split(op.example, comments=True)
    assert words[:4] == ["testament", "api", op.resource, op.action], op.example
    arguments = words[2:]
    path_flags = {p.flag for p in op.path_params}
    for index, word in enumerate(arguments[:-1]):
        if word in path_flags:
            key = f"{op.resource}:{word}"
            arguments[index + 1] = values.get(key) or values[f"*:{word}"]
    return arguments


@pytest.mark.parametrize("op", COMMANDS, ids=lambda op: f"{op.resource}-{op.action}")
def test_the_example_of_every_command_runs(
    op: Operation, server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    values = seed(api, tmp_path)
    output = ok(
        run_api(*example_arguments(op, values), env=client_env(tmp_path, server), cwd=tmp_path)
    )
    assert output is not None


@pytest.mark.parametrize("op", COMMANDS, ids=lambda op: f"{op.resource}-{op.action}")
def test_the_help_of_every_command_shows_signature_example_and_rest_path(op: Operation) -> None:
    # In process (the subprocess tests in test_api_cli.py cover -h end to end): 100 commands.
    done = CliRunner().invoke(app, ["api", op.resource, op.action, "-h"], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    text = " ".join(done.output.split())
    assert f"Signature: testament api {op.resource} {op.action}" in text
    assert f"Example: {' '.join(op.example.split())}" in text
    assert "Calls: " in text
    assert op.path.split("{")[0] in text
