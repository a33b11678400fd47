"""Our OpenAPI document tells the truth about errors.

FastAPI documents a 422 with its own `{"detail": [...]}` body on every operation that has
parameters. Ours answer every error as `{"status": false, "errorMessage", "errorFields"}`
(`http.errors`): 400 for a bad query or path parameter, 422 only for a bad body, and
401/403/404/406/413/429/503 from the layers around the route (token, permissions, project lookup,
`http.edge`, rate limiting, maintenance). This rewrites each API operation's error responses to
exactly those it can answer, all with the error envelope. A route that answers another error
status declares it (`responses={404: {"description": ...}}`) and keeps it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

ERROR_SCHEMA_NAME = "ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": ERROR_SCHEMA_NAME,
    "description": "Every error: what went wrong, and each offending field.",
    "required": ["status", "errorMessage", "errorFields"],
    "properties": {
        "status": {"type": "boolean", "const": False},
        "errorMessage": {"type": "string"},
        "errorFields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "error"],
                "properties": {"field": {"type": "string"}, "error": {"type": "string"}},
            },
        },
    },
}

# Every API request: bad query or path (or malformed JSON), no valid token, not allowed (or plain
# HTTP where HTTPS is required), an `Accept` without JSON, over the rate limit.
ALWAYS = {
    "400": "Bad Request: a query or path parameter is invalid, or the body is not JSON.",
    "401": "Unauthorized: the `Token` header is missing or not valid.",
    "403": "Forbidden: the caller's role lacks the permission.",
    "406": "Not Acceptable: the `Accept` header excludes JSON.",
    "429": "Too Many Requests: over the rate limit; see `Retry-After`.",
}
WITH_PATH_PARAMETERS = {"404": "Not Found: no such project or entity (or not visible to you)."}
WRITES = {
    "413": "Payload Too Large: the body is over the size limit.",
    "422": "Unprocessable Entity: the body is invalid; each field is named.",
    "503": "Service Unavailable: the server is in maintenance mode and refuses writes.",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
API_PREFIXES = ("/v1/", "/v2/")
# FastAPI's own validation error schemas, which no response of ours uses.
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def error_responses(method: str, operation: dict[str, Any]) -> dict[str, str]:
    """The error statuses an operation can answer, with their descriptions."""
    statuses = dict(ALWAYS)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses |= WITH_PATH_PARAMETERS
    if method in WRITE_METHODS:
        statuses |= WRITES
    return statuses


def _is_fastapi_validation_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the error responses of every API operation in `document` (in place)."""
    reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(API_PREFIXES):
            continue
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            statuses = error_responses(method, operation)
            for status in [s for s in responses if s.startswith(("4", "5"))]:
                declared = responses.pop(status)
                if not _is_fastapi_validation_error(declared):
                    # A route's own `responses={404: ...}`: kept, with the error envelope.
                    statuses[status] = declared.get("description", statuses.get(status, ""))
            for status, description in sorted(statuses.items()):
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": reference}},
                }
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for name, schema in _BODY_SCHEMAS.items():
        schemas.setdefault(name, schema)
    return document


# Schemas of bodies documented by hand (`documented_body`), added to the document's components.
_BODY_SCHEMAS: dict[str, Any] = {}


def documented_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body a route parses itself (not through FastAPI), with
    the models it refers to registered as components so every `$ref` resolves."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    _BODY_SCHEMAS.update(schema.pop("$defs", {}))
    _BODY_SCHEMAS.setdefault(model.__name__, dict(schema))
    reference = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": reference}}}
    }


def install_openapi(app: FastAPI) -> None:
    """Serve the document with its errors documented (FastAPI builds it once, on first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
