"""Where the client finds its server, token and defaults.

First found wins, per value: command-line flags, then the environment (`TESTAMENT_URL`,
`TESTAMENT_TOKEN`, `TESTAMENT_PROJECT`, `TESTAMENT_RUN_ID`, and Qase's names
`QASE_TESTOPS_API_TOKEN`, `QASE_TESTOPS_PROJECT`, `QASE_TESTOPS_RUN_ID` so pipelines port), then a
project file `.testament.toml` found by walking up from the working directory, then the user's
file `$XDG_CONFIG_HOME/testament/config.toml` (`~/.config/testament/config.toml`).

Files hold the same names in lower case without the prefix: `url`, `token`, `project`, `run_id`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_FILE = ".testament.toml"
KEYS = ("url", "token", "project", "run_id")
ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "url": ("TESTAMENT_URL",),
    "token": ("TESTAMENT_TOKEN", "QASE_TESTOPS_API_TOKEN"),
    "project": ("TESTAMENT_PROJECT", "QASE_TESTOPS_PROJECT"),
    "run_id": ("TESTAMENT_RUN_ID", "QASE_TESTOPS_RUN_ID"),
}

HOW_TO_CONFIGURE = """\
Tell the client where the server is and which token to use, in any of these ways:
  flags:        --url https://testament.example.com --token tmt_...
  environment:  export TESTAMENT_URL=https://testament.example.com TESTAMENT_TOKEN=tmt_...
                (QASE_TESTOPS_API_TOKEN is read as the token too)
  project file: .testament.toml in this folder or above:  url = "..."  project = "DEMO"
  user file:    ~/.config/testament/config.toml:           url = "..."  token = "tmt_..."
An operator mints a token with `testament token create --email you@example.com`."""


class ConfigError(Exception):
    """A missing or unreadable setting; the message says how to fix it."""


@dataclass(frozen=True)
class ClientConfig:
    url: str
    token: str
    project: str | None = None
    run_id: int | None = None
    sources: Mapping[str, str] | None = None  # where each value came from, for `--verbose`

    @property
    def api_url(self) -> str:
        """The server's URL without a trailing `/v1` (users paste either form)."""
        url = self.url.rstrip("/")
        for suffix in ("/v1", "/v2"):
            if url.endswith(suffix):
                url = url[: -len(suffix)]
        return url


def user_config_path(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "testament" / "config.toml"


def find_project_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    return {key: str(data[key]) for key in KEYS if key in data and data[key] is not None}


def resolve(
    flags: Mapping[str, str | int | None],
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    require_token: bool = True,
) -> ClientConfig:
    """The configuration from flags, environment and files (see the module docstring)."""
    environ = os.environ if environ is None else environ
    layers: list[tuple[str, Mapping[str, str]]] = [
        ("flag", {k: str(v) for k, v in flags.items() if v not in (None, "")}),
        ("environment", _from_environment(environ)),
    ]
    project_file = find_project_file(cwd or Path.cwd())
    if project_file is not None:
        layers.append((str(project_file), _read_toml(project_file)))
    user_file = user_config_path(environ)
    if user_file.is_file():
        layers.append((str(user_file), _read_toml(user_file)))
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, layer in layers:
        for key in KEYS:
            if key not in values and layer.get(key):
                values[key] = layer[key]
                sources[key] = source
    missing = [key for key in ("url", "token") if key not in values]
    if not require_token and missing == ["token"]:
        missing = []
    if missing:
        raise ConfigError(f"No {' and no '.join(missing)} configured.\n{HOW_TO_CONFIGURE}")
    run_id = values.get("run_id")
    if run_id is not None and not run_id.isdigit():
        raise ConfigError(f"run id {run_id!r} (from {sources['run_id']}) is not a number.")
    url = values["url"]
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"url {url!r} (from {sources['url']}) must start with https:// or http://."
        )
    return ClientConfig(
        url=url,
        token=values.get("token", ""),
        project=values.get("project", "").upper() or None,
        run_id=int(run_id) if run_id else None,
        sources=sources,
    )


def _from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, names in ENVIRONMENT.items():
        for name in names:
            if environ.get(name):
                found[key] = environ[name]
                break
    return found
