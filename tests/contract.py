"""Validate every API response against the Qase contracts in ../shared/contracts.

Success bodies are checked against the operation's response schema (OpenAPI 3.0 semantics, with
`nullable`); error bodies against the Qase error envelope. A response to a path or method the
contract does not have fails too, unless it is one of our documented extensions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

# The checkout sits beside shared/ (here and in CI): ../shared/contracts from the project root.
CONTRACTS = Path(__file__).resolve().parents[2] / "shared" / "contracts"

ERROR_ENVELOPE = {
    "type": "object",
    "required": ["status", "errorMessage", "errorFields"],
    "additionalProperties": False,
    "properties": {
        "status": {"const": False},
        "errorMessage": {"type": "string", "minLength": 1},
        "errorFields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "error"],
                "additionalProperties": False,
                "properties": {"field": {"type": "string"}, "error": {"type": "string"}},
            },
        },
    },
}

# Our own endpoints that are not in the Qase contract: validated for the envelope only.
EXTENSIONS: tuple[str, ...] = ("/v1/audit_log",)


class ContractViolation(AssertionError):
    pass


@dataclass(frozen=True)
class Operation:
    version: str
    method: str
    template: str
    operation_id: str
    pointer: str  # JSON pointer of the operation inside its document


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@cache
def load_spec(version: str) -> dict[str, Any]:
    return yaml.safe_load((CONTRACTS / f"qase-api-{version}.yaml").read_text())


@cache
def _registry() -> Registry:
    registry: Registry = Registry()
    for version in ("v1", "v2"):
        resource = Resource.from_contents(load_spec(version), default_specification=DRAFT4)
        registry = registry.with_resource(f"urn:qase-{version}", resource)
    return registry


@cache
def operations(version: str) -> list[Operation]:
    found = []
    for template, item in load_spec(version)["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append(
                    Operation(
                        version,
                        method.upper(),
                        template,
                        op["operationId"],
                        f"/paths/{_escape(template)}/{method}",
                    )
                )
    return found


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$")


def find_operation(method: str, path: str) -> Operation | None:
    match = re.match(r"^/(v1|v2)(/.*)$", path)
    if not match:
        return None
    version, rest = match.groups()
    candidates = [
        op
        for op in operations(version)
        if op.method == method.upper() and _template_regex(op.template).match(rest)
    ]
    # Prefer the most literal template: /case/{code}/bulk over /case/{code}/{id}.
    candidates.sort(key=lambda op: op.template.count("{"))
    return candidates[0] if candidates else None


def _response_schema_pointer(op: Operation, status: int) -> str | None:
    responses = load_spec(op.version)
    node: Any = responses
    for part in op.pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    response = node.get("responses", {}).get(str(status))
    if not response or "application/json" not in response.get("content", {}):
        return None
    return f"urn:qase-{op.version}#{op.pointer}/responses/{status}/content/application~1json/schema"


def validate_response(method: str, path: str, status: int, body: bytes) -> None:
    """Raise ContractViolation when the response breaks the contract."""
    try:
        data = json.loads(body) if body else None
    except ValueError as exc:
        raise ContractViolation(
            f"{method} {path} -> {status}: body is not JSON: {body[:200]!r}"
        ) from exc
    if status >= 400:
        _check(ERROR_ENVELOPE, data, f"{method} {path} -> {status} (error envelope)")
        return
    if path.startswith(EXTENSIONS) and EXTENSIONS:
        return
    op = find_operation(method, path)
    if op is None:
        raise ContractViolation(f"{method} {path} -> {status}: no such operation in the contract")
    documented = load_spec(op.version)["paths"][op.template][op.method.lower()]["responses"]
    if str(status) not in documented:
        raise ContractViolation(
            f"{method} {path} ({op.operation_id}) answered {status}; the contract documents "
            f"{sorted(documented)}"
        )
    pointer = _response_schema_pointer(op, status)
    if pointer is not None:
        _check({"$ref": pointer}, data, f"{method} {path} ({op.operation_id}) -> {status}")
    if isinstance(data, dict) and data.get("status") is not True and op.version == "v1":
        raise ContractViolation(f"{method} {path}: success without status true: {data}")


def _check(schema: dict[str, Any], data: Any, where: str) -> None:
    validator = OAS30Validator(schema, registry=_registry())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first: ValidationError = errors[0]
        path = "/".join(str(p) for p in first.absolute_path)
        raise ContractViolation(f"{where}: at /{path}: {first.message}")
