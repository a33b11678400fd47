"""The README cannot drift from the code: settings and operator commands are all documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testament.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_in_the_readme_table() -> None:
    for name in Settings.model_fields:
        assert f"| `TESTAMENT_{name.upper()}` |" in README, f"TESTAMENT_{name.upper()} missing"
    assert "| `TESTAMENT_CONFIG_FILE` |" in README


def test_every_readme_setting_exists() -> None:
    documented = {
        line.split("`")[1] for line in README.splitlines() if line.startswith("| `TESTAMENT_")
    }
    known = {f"TESTAMENT_{name.upper()}" for name in Settings.model_fields} | {
        "TESTAMENT_CONFIG_FILE"
    }
    assert documented == known


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "scripts/serve" in first_block and "scripts/test" in first_block
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_every_operator_command_is_documented() -> None:
    for group, commands in {
        "db": ["upgrade"],
        "user": ["create", "list", "set-role"],
        "role": ["create", "list"],
        "group": ["create", "add", "remove", "list"],
        "token": ["create", "list", "revoke"],
        "audit": ["list"],
        "maintenance": ["on", "off", "status"],
    }.items():
        out = subprocess.run(
            [sys.executable, "-m", "testament", group, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for command in commands:
            assert command in out
            assert f"testament {group} {command}" in README


def test_settings_come_from_a_toml_file_with_env_winning(
    tmp_path: Path, monkeypatch: object
) -> None:
    import pytest

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    config = tmp_path / "testament.toml"
    config.write_text('port = 9123\nhost = "0.0.0.0"\n')
    mp.setenv("TESTAMENT_CONFIG_FILE", str(config))
    mp.setenv("TESTAMENT_HOST", "127.0.0.2")
    settings = Settings()
    assert settings.port == 9123
    assert settings.host == "127.0.0.2"
