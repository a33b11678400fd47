"""Every error leaves as `{"status": false, "errorMessage": ..., "errorFields": [...]}`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from testament.kit.errors import FieldError, TestamentError

log = logging.getLogger("testament.errors")

# Where a validation error sits decides its status: a bad body is 422, a bad query is 400.
BODY_LOCATIONS = frozenset({"body"})


def error_response(
    status_code: int,
    message: str,
    fields: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    body = {
        "status": False,
        "errorMessage": message,
        "errorFields": [{"field": f.field, "error": f.error} for f in fields],
    }
    return Response(
        orjson.dumps(body), status_code=status_code, headers=headers, media_type="application/json"
    )


# Pydantic adds the member type to the location of a union's errors in bodies:
# ("body", "type", "int"), ("body", "steps", "list[StepInput]").
UNION_MEMBER_TAG = re.compile(
    r"^(int|str|float|bool|bytes|none|"
    r"(list|dict|tuple|set|literal|nullable|union|function-[a-z]+|constrained-[a-z]+)\[.*\])$"
)


def field_path(loc: Sequence[Any]) -> str:
    """`("body", "steps", 0, "action")` -> `steps[0].action`."""
    path = ""
    in_body = bool(loc) and loc[0] == "body"
    parts = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
    for part in parts:
        if in_body and isinstance(part, str) and UNION_MEMBER_TAG.match(part):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or (str(loc[0]) if loc else "body")


def validation_fields(errors: Sequence[Any]) -> list[FieldError]:
    fields = []
    for error in errors:
        loc = error.get("loc", ())
        message = str(error.get("msg", "is invalid"))
        if error.get("type") == "missing":
            message = "This field is required."
        elif tuple(loc) == ("body",) and error.get("type") in (
            "model_attributes_type",
            "dict_type",
        ):
            message = "The body must be a JSON object."
        fields.append(FieldError(field_path(loc), message))
    # A value that fails every member of a union reports once per member: keep the first.
    return list({f.field: f for f in reversed(fields)}.values())[::-1]


async def handle_testament_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TestamentError)
    return error_response(exc.status_code, exc.message, exc.fields, exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = detail.get("ctx", {}).get("error", "malformed JSON")
        return error_response(
            400, f"The request body is not valid JSON: {reason}.", [FieldError("body", str(reason))]
        )
    whole_body = [e for e in errors if tuple(e.get("loc", ())) == ("body",)]
    content_type = request.headers.get("content-type", "")
    if whole_body and whole_body[0].get("type") != "missing" and "json" not in content_type:
        # FastAPI only parses JSON bodies; anything else arrives here as raw text.
        return error_response(
            400,
            "The request body must be JSON, sent with `Content-Type: application/json`.",
            [FieldError("body", "not JSON")],
        )
    fields = validation_fields(errors)
    in_body = all(e.get("loc", ("",))[0] in BODY_LOCATIONS for e in errors)
    names = ", ".join(dict.fromkeys(f.field for f in fields))
    if in_body:
        return error_response(422, f"Data is invalid: {names}.", fields)
    return error_response(400, f"Invalid parameter: {names}.", fields)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        message = f"Not found: {request.method} {request.url.path} is not an API endpoint."
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}."
    else:
        message = str(exc.detail)
    headers = dict(exc.headers or {})
    return error_response(exc.status_code, message, headers=headers)


async def handle_unexpected_error(request: Request, exc: Exception) -> Response:
    # Logged with the traceback for operators; the client learns nothing about internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "Internal server error. The failure was logged on the server.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TestamentError, handle_testament_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected_error)
