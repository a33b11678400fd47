"""Running the real `testament api` command line, with a clean environment, for the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.live import LiveServer


def client_env(
    home: Path, server: LiveServer | None = None, role: str = "admin", **extra: str
) -> dict[str, str]:
    """An environment with no client settings but `extra` (and the server's URL and a token).

    HOME and XDG_CONFIG_HOME point into `home`, so no user config file of the machine leaks in.
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PYTHONUTF8": "1",
        "COLUMNS": "200",  # help text on one line per sentence
    }
    if server is not None:
        env["TESTAMENT_URL"] = server.url
        env["TESTAMENT_TOKEN"] = server.tokens[role]
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `testament *args` as a user would (a subprocess)."""
    return subprocess.run(
        [sys.executable, "-m", "testament", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin,
        timeout=120,
        check=False,
    )


def run_api(
    *args: str, env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli("api", *args, env=env, cwd=cwd, stdin=stdin)


def ok(done: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a successful command printed; nothing may have gone to stderr."""
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def failed(done: subprocess.CompletedProcess[str], exit_code: int = 1) -> str:
    """stderr of a failed command, which printed nothing on stdout and no traceback."""
    assert done.returncode == exit_code, (done.returncode, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()
    return done.stderr
