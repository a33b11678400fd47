"""The contract snapshot in tests/contracts: current, facts only, and the only contract read.

The Qase contract lives in ../shared/contracts beside our own checkout; a clone has only the
snapshot. The freshness test is the one place in the suite that reads ../shared.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.contract_snapshot import SOURCES, render, snapshot, snapshot_path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CONTRACTS = ROOT.parent / "shared" / "contracts"

# The files allowed to name the contract folder beside the checkout: this test and the
# generator script. Prose (*.md) may say where the snapshot comes from.
ALLOWED_READERS = {"tests/test_contract_snapshot.py", "scripts/generate-contract-snapshot"}
READS_SHARED = re.compile(r"\.\./shared\b|[\"']shared[\"']\s*/|shared/contracts")


@pytest.mark.skipif(
    not SHARED_CONTRACTS.is_dir(),
    reason=f"no contract folder at {SHARED_CONTRACTS} (a clone of its own): the committed "
    "snapshot is used as it is; its freshness is checked where the contract sits beside the checkout",
)
@pytest.mark.parametrize("version", sorted(SOURCES))
def test_the_snapshot_is_what_the_contract_generates(version: str) -> None:
    committed = snapshot_path(version).read_text(encoding="utf-8")
    assert committed == render(SHARED_CONTRACTS, version), (
        f"{snapshot_path(version).name} is stale: run scripts/generate-contract-snapshot"
    )


def test_nothing_else_reads_the_shared_folder() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of tracked files to search")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    readers = []
    for name in (n.decode() for n in tracked if n):
        path = ROOT / name
        if name in ALLOWED_READERS or name.endswith(".md") or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        readers += [f"{name}: {m[0]!r}" for m in READS_SHARED.finditer(text)]
    assert readers == [], "read tests/contracts (the snapshot) instead of ../shared"


def _with_prose(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": "prose", "title": "Prose", "example": "prose", **schema}


def test_prose_goes_but_fields_named_like_prose_stay() -> None:
    field = _with_prose({"type": "string", "nullable": True})
    document = {
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1", "description": "prose"},
        "tags": [{"name": "t", "description": "prose"}],
        "paths": {
            "/thing": {
                "post": {
                    "operationId": "create-thing",
                    "summary": "prose",
                    "tags": ["t"],
                    "requestBody": {
                        "description": "prose",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/description"},
                                "example": {"description": "prose"},
                            }
                        },
                    },
                    "parameters": [
                        {"name": "example", "in": "query", "description": "prose", "schema": field}
                    ],
                    "responses": {"200": {"description": "prose"}},
                }
            }
        },
        "components": {
            "schemas": {
                "description": _with_prose(
                    {
                        "type": "object",
                        "required": ["description", "example", "title"],
                        "properties": {
                            "description": field,
                            "example": field,
                            "title": field,
                            "items": {"type": "array", "items": field},
                        },
                        "default": {"description": "data, not prose"},
                        "enum": [{"example": "data"}],
                    }
                )
            }
        },
    }
    bare = {"type": "string", "nullable": True}
    assert snapshot(document, "v1") == {
        "x-snapshot": snapshot({}, "v1")["x-snapshot"],
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/thing": {
                "post": {
                    "operationId": "create-thing",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/description"}
                            }
                        }
                    },
                    "parameters": [{"name": "example", "in": "query", "schema": bare}],
                    "responses": {"200": {}},
                }
            }
        },
        "components": {
            "schemas": {
                "description": {
                    "type": "object",
                    "required": ["description", "example", "title"],
                    "properties": {
                        "description": bare,
                        "example": bare,
                        "title": bare,
                        "items": {"type": "array", "items": bare},
                    },
                    "default": {"description": "data, not prose"},
                    "enum": [{"example": "data"}],
                }
            }
        },
    }


@pytest.mark.parametrize("version", sorted(SOURCES))
def test_the_snapshot_names_its_source_and_licence(version: str) -> None:
    header = json.loads(snapshot_path(version).read_text(encoding="utf-8"))["x-snapshot"]
    assert "qase-tms/specs" in header["source"] and f"testops-api/{version}/" in header["source"]
    assert header["licence"].startswith("Apache-2.0")
    assert "scripts/generate-contract-snapshot" in header["generated-by"]


@pytest.mark.parametrize("version", sorted(SOURCES))
def test_every_reference_in_the_snapshot_resolves(version: str) -> None:
    document = json.loads(snapshot_path(version).read_text(encoding="utf-8"))
    references = set(re.findall(r'"\$ref": "#/([^"]+)"', json.dumps(document)))
    assert references
    for reference in references:
        node: Any = document
        for part in reference.split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        assert isinstance(node, dict), reference
