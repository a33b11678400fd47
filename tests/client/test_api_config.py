"""Where `testament api` finds its server, token and project: flags, then the environment, then
`.testament.toml` walking up from the working directory, then the user's config file."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.client.api_cli import client_env, failed, ok, run_api
from tests.factories import make_project
from tests.live import LiveServer


def _write_user_file(home: Path, **values: str) -> None:
    folder = home / ".config" / "testament"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f'{key} = "{value}"' for key, value in values.items()]
    (folder / "config.toml").write_text("\n".join(lines) + "\n")


def test_project_comes_from_flag_then_env_then_project_file_then_user_file(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    flag, environment, project_file, user_file = (make_project(api) for _ in range(4))
    home = tmp_path / "home"
    _write_user_file(home, url=server.url, token=server.tokens["admin"], project=user_file)
    repository = tmp_path / "repository"
    working_dir = repository / "tests" / "e2e"
    working_dir.mkdir(parents=True)
    (repository / ".testament.toml").write_text(f'project = "{project_file}"\n')
    env = client_env(home, TESTAMENT_PROJECT=environment)

    def project_used(*group_flags: str, env: dict[str, str], cwd: Path) -> str:
        return str(ok(run_api(*group_flags, "projects", "get", env=env, cwd=cwd))["code"])

    assert project_used("--project", flag, env=env, cwd=working_dir) == flag
    assert project_used(env=env, cwd=working_dir) == environment
    del env["TESTAMENT_PROJECT"]
    assert project_used(env=env, cwd=working_dir) == project_file
    assert project_used(env=env, cwd=tmp_path) == user_file  # no project file above tmp_path


def test_token_comes_from_flag_then_env_then_files(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    good, bad = server.tokens["admin"], "tmt_not-a-token"
    home = tmp_path / "home"
    _write_user_file(home, url=server.url, token=good, project=code)
    env = client_env(home)
    assert ok(run_api("projects", "get", env=env, cwd=tmp_path))["code"] == code
    env["TESTAMENT_TOKEN"] = bad  # the environment beats the user file
    assert "HTTP 401" in failed(run_api("projects", "get", env=env, cwd=tmp_path))
    flagged = run_api("projects", "get", "--token", good, env=env, cwd=tmp_path)
    assert ok(flagged)["code"] == code  # the flag beats the environment
    (tmp_path / ".testament.toml").write_text(f'token = "{bad}"\n')
    del env["TESTAMENT_TOKEN"]  # the project file beats the user file
    assert "HTTP 401" in failed(run_api("projects", "get", env=env, cwd=tmp_path))


def test_testament_names_beat_the_qase_names(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    ours, theirs = make_project(api), make_project(api)
    env = client_env(
        tmp_path,
        TESTAMENT_URL=server.url,
        TESTAMENT_TOKEN=server.tokens["admin"],
        QASE_TESTOPS_API_TOKEN="tmt_not-a-token",
        TESTAMENT_PROJECT=ours,
        QASE_TESTOPS_PROJECT=theirs,
    )
    assert ok(run_api("projects", "get", env=env, cwd=tmp_path))["code"] == ours
    del env["TESTAMENT_PROJECT"]
    assert ok(run_api("projects", "get", env=env, cwd=tmp_path))["code"] == theirs


def test_an_unreadable_project_file_is_reported(server: LiveServer, tmp_path: Path) -> None:
    (tmp_path / ".testament.toml").write_text("project = [unclosed\n")
    message = failed(run_api("users", "list", env=client_env(tmp_path, server), cwd=tmp_path))
    assert ".testament.toml" in message and "cannot read it" in message


def test_delete_project_never_defaults_to_the_configured_project(
    server: LiveServer, api: httpx.Client, tmp_path: Path
) -> None:
    code = make_project(api)
    env = client_env(tmp_path, server, TESTAMENT_PROJECT=code)
    assert "--project-code" in failed(run_api("projects", "delete", env=env), 2)
    assert api.get(f"/v1/project/{code}").status_code == 200
    assert ok(run_api("projects", "delete", "--project-code", code, env=env)) == {"status": True}
    assert api.get(f"/v1/project/{code}").status_code == 404
