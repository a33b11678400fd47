"""Every error, rendered for where the request went.

`/v1` and `/v2` always answer Qase's envelope, `{"status": false, "errorMessage": ...,
"errorFields": [...]}`. Elsewhere (the web UI's pages, public links) a browser, which asks for
`text/html`, gets an HTML page naming the problem and each offending field, or a redirect to
sign-in for a 401 when the app has a sign-in page; any other client gets the envelope.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from urllib.parse import quote

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from testament.kit.errors import FieldError, TestamentError
from testament.kit.validation import validation_fields

log = logging.getLogger("testament.errors")

# Paths of the API, where every error is the Qase envelope whatever the client asks for.
API_PREFIXES = ("/v1/", "/v2/")

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


def wants_html(request: Request) -> bool:
    """A browser's request outside the API: its `Accept` names `text/html` before any JSON."""
    if request.url.path.startswith(API_PREFIXES):
        return False
    for part in request.headers.get("accept", "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == "text/html" or media == "application/xhtml+xml":
            return True
        if media == "application/json" or media.endswith("+json"):
            return False
    return False


def html_error_page(
    status_code: int,
    message: str,
    fields: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """A plain, self-contained page: the status, the message, each field and its error."""
    items = "".join(
        f"<li><code>{html.escape(f.field)}</code>: {html.escape(f.error)}</li>" for f in fields
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{status_code} · Testament</title></head><body><main>"
        f"<h1>{status_code}</h1><p>{html.escape(message)}</p>"
        f"{f'<ul>{items}</ul>' if items else ''}"
        '<p><a href="/">Testament home</a></p></main></body></html>'
    )
    return Response(page, status_code=status_code, headers=headers, media_type="text/html")


def render_error(
    request: Request,
    status_code: int,
    message: str,
    fields: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as the kind of request expects it (see the module docstring)."""
    if not wants_html(request):
        return error_response(status_code, message, fields, headers)
    sign_in: str | None = getattr(request.app.state, "sign_in_path", None)
    if status_code == 401 and sign_in:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{sign_in}?next={quote(target, safe='')}", status_code=303)
    return html_error_page(status_code, message, fields, headers)


async def handle_testament_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TestamentError)
    return render_error(request, exc.status_code, exc.message, exc.fields, exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        detail = next(e for e in errors if e.get("type") == "json_invalid")
        reason = detail.get("ctx", {}).get("error", "malformed JSON")
        return render_error(
            request,
            400,
            f"The request body is not valid JSON: {reason}.",
            [FieldError("body", str(reason))],
        )
    whole_body = [e for e in errors if tuple(e.get("loc", ())) == ("body",)]
    content_type = request.headers.get("content-type", "")
    if whole_body and whole_body[0].get("type") != "missing" and "json" not in content_type:
        # FastAPI only parses JSON bodies; anything else arrives here as raw text.
        return render_error(
            request,
            400,
            "The request body must be JSON, sent with `Content-Type: application/json`.",
            [FieldError("body", "not JSON")],
        )
    fields = validation_fields(errors)
    in_body = all(e.get("loc", ("",))[0] in BODY_LOCATIONS for e in errors)
    names = ", ".join(dict.fromkeys(f.field for f in fields))
    if in_body:
        return render_error(request, 422, f"Data is invalid: {names}.", fields)
    return render_error(request, 400, f"Invalid parameter: {names}.", fields)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        what = "an API endpoint" if request.url.path.startswith(API_PREFIXES) else "a page"
        message = f"Not found: {request.method} {request.url.path} is not {what}."
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}."
    else:
        message = str(exc.detail)
    headers = dict(exc.headers or {})
    return render_error(request, exc.status_code, message, headers=headers)


async def handle_unexpected_error(request: Request, exc: Exception) -> Response:
    # Logged with the traceback for operators; the client learns nothing about internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return render_error(
        request, 500, "Internal server error. The failure was logged on the server."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TestamentError, handle_testament_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected_error)
