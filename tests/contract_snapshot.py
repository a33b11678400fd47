"""The facts-only snapshot of the Qase contract that the tests read (tests/contracts/*.json).

Built from the contract's OpenAPI documents by walking them as OpenAPI: prose (descriptions,
summaries, examples, titles, external docs, tags) is dropped where it is an annotation, never where
it is a name, so a schema property called `description` or `example` is kept. Every other key is
kept as it is. `scripts/generate-contract-snapshot` writes the files; a test regenerates them in
memory and compares when the contract folder is present.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

SNAPSHOTS = Path(__file__).resolve().parent / "contracts"

# version -> (the file in the contract folder, where it comes from upstream)
SOURCES = {
    "v1": ("qase-api-v1.yaml", "testops-api/v1/src.yaml"),
    "v2": ("qase-api-v2.yaml", "testops-api/v2/src.yaml"),
}
UPSTREAM = "https://github.com/qase-tms/specs"
UPSTREAM_COMMIT = "ea7334f"

# Annotations with no bearing on what a request or response may be.
SCHEMA_PROSE = frozenset({"description", "title", "example", "examples", "externalDocs", "xml"})
OBJECT_PROSE = frozenset({"description", "summary", "example", "examples", "externalDocs"})
OPERATION_PROSE = OBJECT_PROSE | {"tags"}
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _schema(node: Any) -> Any:
    """A JSON Schema (OpenAPI 3.0 dialect) without its annotations."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in SCHEMA_PROSE:
            continue
        if key == "properties":
            # The keys here are field names (`description` included), each value a schema.
            out[key] = {name: _schema(schema) for name, schema in value.items()}
        elif key in ("items", "not", "additionalProperties"):
            out[key] = [_schema(s) for s in value] if isinstance(value, list) else _schema(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_schema(s) for s in value]
        else:
            # enum, default, required, formats, bounds...: data, kept whole.
            out[key] = value
    return out


def _content(content: dict[str, Any]) -> dict[str, Any]:
    """A media type map: each media type's schema and encoding."""
    return {
        media: {
            key: _schema(value) if key == "schema" else value
            for key, value in item.items()
            if key not in OBJECT_PROSE
        }
        for media, item in content.items()
    }


def _parameter(node: dict[str, Any]) -> dict[str, Any]:
    """A parameter or a header: where it goes, whether it is required, its schema."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OBJECT_PROSE:
            continue
        if key == "schema":
            out[key] = _schema(value)
        elif key == "content":
            out[key] = _content(value)
        else:
            out[key] = value
    return out


def _body_or_response(node: dict[str, Any]) -> dict[str, Any]:
    """A request body or a response: its content and headers."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OBJECT_PROSE or key == "links":
            continue
        if key == "content":
            out[key] = _content(value)
        elif key == "headers":
            out[key] = {name: _parameter(header) for name, header in value.items()}
        else:
            out[key] = value
    return out


def _operation(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OPERATION_PROSE:
            continue
        if key == "parameters":
            out[key] = [_parameter(p) for p in value]
        elif key == "requestBody":
            out[key] = _body_or_response(value)
        elif key == "responses":
            out[key] = {status: _body_or_response(r) for status, r in value.items()}
        else:
            # operationId, security, deprecated: kept.
            out[key] = value
    return out


def _path_item(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in OBJECT_PROSE:
            continue
        if key in METHODS:
            out[key] = _operation(value)
        elif key == "parameters":
            out[key] = [_parameter(p) for p in value]
        else:
            out[key] = value
    return out


def _security_scheme(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if key not in OBJECT_PROSE}


COMPONENTS = {
    "schemas": _schema,
    "parameters": _parameter,
    "headers": _parameter,
    "requestBodies": _body_or_response,
    "responses": _body_or_response,
    "securitySchemes": _security_scheme,
}


def _components(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, items in node.items():
        if kind in ("examples", "links"):
            continue
        prune = COMPONENTS.get(kind)
        out[kind] = {name: prune(item) for name, item in items.items()} if prune else items
    return out


def header(version: str) -> dict[str, str]:
    """Where the snapshot comes from, under what licence, and how it is made."""
    return {
        "source": f"{UPSTREAM} {SOURCES[version][1]} at commit {UPSTREAM_COMMIT}",
        "licence": "Apache-2.0 (https://github.com/qase-tms/specs/blob/master/LICENSE)",
        "generated-by": "scripts/generate-contract-snapshot: facts only (paths, methods, "
        "operation ids, parameters, bodies, schemas, components); do not edit by hand",
    }


def snapshot(document: dict[str, Any], version: str) -> dict[str, Any]:
    """The facts of one OpenAPI document, headed by where they come from."""
    out: dict[str, Any] = {"x-snapshot": header(version)}
    for key, value in document.items():
        if key == "info":
            out[key] = {k: value[k] for k in ("title", "version") if k in value}
        elif key == "servers":
            out[key] = [{k: v for k, v in s.items() if k not in OBJECT_PROSE} for s in value]
        elif key == "paths":
            out[key] = {template: _path_item(item) for template, item in value.items()}
        elif key == "components":
            out[key] = _components(value)
        elif key in ("openapi", "security"):
            out[key] = value
        # tags and externalDocs: prose.
    return out


def render(contracts: Path, version: str) -> str:
    """The snapshot file's text for `version`, from the contract folder `contracts`."""
    document = yaml.safe_load((contracts / SOURCES[version][0]).read_text(encoding="utf-8"))
    return json.dumps(snapshot(document, version), indent=2, ensure_ascii=False) + "\n"


def snapshot_path(version: str) -> Path:
    return SNAPSHOTS / f"qase-{version}.json"


def main(argv: list[str] | None = None) -> int:
    """Write the snapshot files (or, with --check, say whether they are current)."""
    parser = argparse.ArgumentParser(prog="scripts/generate-contract-snapshot")
    parser.add_argument("contracts", type=Path, help="the folder holding qase-api-v*.yaml")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    stale = []
    for version in SOURCES:
        text = render(args.contracts, version)
        target = snapshot_path(version)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if args.check:
            if current != text:
                stale.append(str(target))
        elif current != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if stale:
        print("stale (run scripts/generate-contract-snapshot): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
