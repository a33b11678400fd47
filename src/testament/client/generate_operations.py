"""Write `client/operations.py`, the endpoint table `testament api` is built from, from the
server's own OpenAPI document.

    python -m testament.client.generate_operations          # rewrite the table
    python -m testament.client.generate_operations --check  # exit 1 if it is out of date

(`scripts/generate-client-operations` runs the first and formats the file.) The names of the
commands follow rules (resource = the operation's tag, action = list/get/create/update/delete by
the method and the answer's shape); the few operations those rules cannot name well are named
in `ACTIONS` below. `tests/client/test_api_table.py` fails when the table and the app disagree.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from testament.client.operation_examples import example
from testament.client.spec import Operation, Param

TABLE_PATH = Path(__file__).with_name("operations.py")
METHODS = ("get", "post", "put", "patch", "delete")

# Operations outside the plain list/get/create/update/delete pattern, by operationId.
ACTIONS = {
    "grant-access-to-project": "grant-access",
    "revoke-access-to-project": "revoke-access",
    "bulk": "bulk",
    "case-attach-external-issue": "attach-external-issue",
    "case-detach-external-issue": "detach-external-issue",
    "upload-attachment": "upload",
    "create-configuration-group": "create-group",
    "run-update-external-issue": "update-external-issue",
    "update-run-publicity": "public",
    "complete-run": "complete",
    "create-result-bulk": "bulk",
    "resolve-defect": "resolve",
    "update-defect-status": "update-status",
    "bulk-create-reviews": "bulk",
    "create-result-v2": "create-v2",
    "create-results-v2": "bulk-v2",
}

# Bodies the OpenAPI document cannot describe: multipart uploads (wire field -> flag).
MULTIPART = {
    "upload-attachment": Param(
        name="file[]",
        flag="--file",
        kind="array",
        items="string",
        required=True,
        description="A file to upload (repeat the flag for more files).",
    )
}

# Path parameters named `--project-code` (default: the configured project) and `--run-id`
# (default: the configured run), by wire name and by (resource, wire name).
PROJECT_PARAMETERS = ("code", "project_code")
RUN_PARAMETERS = {("results", "id"), ("results", "run_id")}
# Never taken from the configured project: deleting the default project by omission.
NO_DEFAULT_PROJECT = {"delete-project"}

# Flags every command may have besides its parameters; a field named like one gets `--field-`.
RESERVED_FLAGS = {"--url", "--token", "--body", "--body-file", "--all", "--help", "--file"}


def slug(text: str) -> str:
    """`audit log` -> `audit-log`, `isManual` -> `is-manual`, `filters[search]` -> `search`."""
    text = text.removeprefix("filters[").replace("[]", "").replace("]", "").replace("[", "-")
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema
    found = document.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1])
    # A reference the document does not define reads as a JSON object.
    return found if isinstance(found, dict) else {"type": "object"}


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        kept = [o for o in options if o.get("type") != "null"]
        if len(kept) == 1:
            return {**{k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}, **kept[0]}
        return {"description": schema.get("description", "")}  # a union of kinds: any JSON
    return schema


def _kind(schema: dict[str, Any], document: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """(kind, kind of the items, choices) of a schema."""
    if "$ref" in schema:
        return "object", "", ()
    plain = _without_null(schema)
    if "$ref" in plain:
        return "object", "", ()
    kind = plain.get("type", "any")
    if kind not in ("string", "integer", "number", "boolean", "array", "object"):
        kind = "any"
    choices = tuple(str(c) for c in plain.get("enum", ()))
    items = ""
    if kind == "array":
        items = _kind(plain.get("items", {}), document)[0]
    return kind, items, choices


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def _describe(schema: dict[str, Any], fallback: str = "") -> str:
    plain = _without_null(schema)
    return _first_line(schema.get("description") or plain.get("description") or fallback)


def _resource(operation: dict[str, Any]) -> str:
    tags = operation.get("tags") or ["misc"]
    return slug(str(tags[0]))


def _is_list(operation: dict[str, Any]) -> bool:
    schema = (
        operation.get("responses", {})
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
    name = str(schema.get("$ref", "")).rsplit("/", 1)[-1]
    return name.startswith(("Envelope_ListResult_", "Envelope_list_")) or name.endswith("Page_")


def _action(method: str, path: str, operation: dict[str, Any]) -> str:
    operation_id = str(operation.get("operationId", ""))
    if operation_id in ACTIONS:
        return ACTIONS[operation_id]
    literals = [s for s in path.split("/")[2:] if s and not s.startswith("{")]
    if len(literals) > 1:  # /v1/run/{code}/{id}/complete: a verb of its own
        action = operation_id
    elif method == "get":
        action = "list" if _is_list(operation) else "get"
    else:
        action = {"post": "create", "put": "replace", "patch": "update", "delete": "delete"}[method]
    return f"{action}-v2" if path.startswith("/v2/") and not action.endswith("-v2") else action


def _path_param(resource: str, operation_id: str, raw: dict[str, Any]) -> Param:
    name = str(raw["name"])
    schema = raw.get("schema", {})
    kind = _kind(schema, {})[0]
    description = _describe(raw, _describe(schema))
    if name in PROJECT_PARAMETERS:
        default = "" if operation_id in NO_DEFAULT_PROJECT else "project"
        return Param(
            name=name,
            flag="--project-code",
            kind="string",
            required=True,
            description=description or "Code of the project.",
            aliases=("--code", "--project"),
            default_from=default,
        )
    if (resource, name) in RUN_PARAMETERS:
        return Param(
            name=name,
            flag="--run-id",
            kind=kind,
            required=True,
            description="Id of the run.",
            default_from="run_id",
        )
    entity = resource.removesuffix("s").replace("-", " ")
    return Param(
        name=name,
        flag=f"--{slug(name)}",
        kind=kind,
        required=True,
        description=description or f"The {entity}'s {name}.",
    )


def _query_param(raw: dict[str, Any], document: dict[str, Any]) -> Param:
    schema = raw.get("schema", {})
    kind, items, choices = _kind(schema, document)
    return Param(
        name=str(raw["name"]),
        flag=f"--{slug(str(raw['name']))}",
        kind=kind,
        items=items,
        required=bool(raw.get("required")),
        choices=choices,
        description=_describe(raw, _describe(schema)),
    )


def _body(operation: dict[str, Any], document: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """(required, schema of the JSON body) or (False, {}) without one."""
    body = operation.get("requestBody")
    if not body:
        return False, {}
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(body.get("required")), _resolve(_without_null(schema), document)


def _body_fields(schema: dict[str, Any], document: dict[str, Any], taken: set[str]) -> list[Param]:
    required = set(schema.get("required", ()))
    fields = []
    for name, field_schema in schema.get("properties", {}).items():
        kind, items, choices = _kind(field_schema, document)
        flag = f"--{slug(name)}"
        if flag in taken:
            flag = f"--field-{slug(name)}"
        taken.add(flag)
        fields.append(
            Param(
                name=name,
                flag=flag,
                kind=kind,
                items=items,
                required=name in required,
                choices=choices,
                description=_describe(field_schema, _describe(_resolve(field_schema, document))),
            )
        )
    return fields


def build_operations(document: dict[str, Any]) -> tuple[Operation, ...]:
    """Every API operation of an OpenAPI document as a table row, in the document's order."""
    operations: list[Operation] = []
    seen: dict[tuple[str, str], str] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(("/v1/", "/v2/")):
            continue
        for method in METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            operation_id = str(raw.get("operationId", ""))
            resource = _resource(raw)
            action = _action(method, path, raw)
            if (resource, action) in seen:
                raise ValueError(
                    f"{operation_id} and {seen[resource, action]} would both be "
                    f"`{resource} {action}`: name one of them in ACTIONS."
                )
            seen[resource, action] = operation_id
            parameters = raw.get("parameters", [])
            path_params = tuple(
                _path_param(resource, operation_id, p) for p in parameters if p.get("in") == "path"
            )
            # Path order, so help and examples read like the URL.
            order = re.findall(r"{(\w+)}", path)
            path_params = tuple(sorted(path_params, key=lambda p: order.index(p.name)))
            query_params = tuple(
                _query_param(p, document) for p in parameters if p.get("in") == "query"
            )
            query_flags = {p.flag for p in query_params}
            # An alias never hides a query flag of the same name.
            path_params = tuple(
                replace(p, aliases=tuple(a for a in p.aliases if a not in query_flags))
                for p in path_params
            )
            taken = RESERVED_FLAGS | query_flags | {p.flag for p in path_params}
            taken |= {a for p in path_params for a in p.aliases}
            body_required, schema = _body(raw, document)
            body_kind = ""
            fields: list[Param] = []
            if operation_id in MULTIPART:
                body_kind, body_required, fields = "multipart", True, [MULTIPART[operation_id]]
            elif raw.get("requestBody"):
                body_kind = "json"
                fields = _body_fields(schema, document, taken)
            names = {p.name for p in query_params}
            paging = ""
            if {"limit", "offset"} <= names:
                paging = "offset"
            elif {"limit", "cursor"} <= names:
                paging = "cursor"
            op = Operation(
                resource=resource,
                action=action,
                operation_id=operation_id,
                method=method.upper(),
                path=path,
                summary=str(raw.get("summary", "")),
                description=_first_line(str(raw.get("description") or raw.get("summary", ""))),
                path_params=path_params,
                query_params=query_params,
                body=body_kind,
                body_required=body_required,
                body_fields=tuple(fields),
                paging=paging,
            )
            operations.append(replace(op, example=example(op)))
    return tuple(operations)


def app_document() -> dict[str, Any]:
    """The OpenAPI document of an app built with default settings (in a throwaway data dir)."""
    from testament.app import create_app
    from testament.settings import Settings

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        document = app.openapi()
        app.state.database.engine.dispose()
    return document


def _literal(row: Operation | Param) -> str:
    """`Param(name='id', flag='--id')`: the constructor call, fields left at their default left out."""
    parts = []
    for spec in fields(row):
        value = getattr(row, spec.name)
        if value == spec.default:
            continue
        if isinstance(value, tuple) and value and isinstance(value[0], Param):
            text = "(" + ", ".join(_literal(v) for v in value) + ",)"
        else:
            text = repr(value)
        parts.append(f"{spec.name}={text}")
    return f"{type(row).__name__}({', '.join(parts)})"


def render(operations: tuple[Operation, ...]) -> str:
    """The source of `operations.py`."""
    lines = [
        '"""The endpoint table: one row per API operation, each a `testament api` command.',
        "",
        "Generated from the server's OpenAPI document by `scripts/generate-client-operations`",
        "(`python -m testament.client.generate_operations`); do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from testament.client.spec import Operation, Param",
        "",
        "OPERATIONS: tuple[Operation, ...] = (",
    ]
    lines += [f"    {_literal(op)}," for op in operations]
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    operations = build_operations(app_document())
    if "--check" in argv:
        from testament.client.operations import OPERATIONS

        if operations != OPERATIONS:
            sys.stderr.write(
                f"{TABLE_PATH} is out of date: run scripts/generate-client-operations\n"
            )
            return 1
        return 0
    TABLE_PATH.write_text(render(operations), encoding="utf-8")
    sys.stderr.write(f"wrote {len(operations)} operations to {TABLE_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
