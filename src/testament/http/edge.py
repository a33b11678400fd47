"""What every request passes at the edge, before routing: trusted proxies, HTTPS, body size,
`Accept`, and the headers every response carries (HSTS, rate-limit budget).

A pure ASGI middleware, so bodies are counted as they stream and nothing is buffered here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from testament.http.errors import API_PREFIXES, error_response
from testament.kit.errors import (
    FieldError,
    Forbidden,
    NotAcceptable,
    PayloadTooLarge,
    TestamentError,
)
from testament.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Reachable over plain HTTP even when HTTPS is required: load balancers probe it.
PLAIN_HTTP_PATHS = frozenset({"/health"})
JSON_ACCEPTING = ("application/json", "application/*", "*/*")
# Where `scope["state"]` carries the caller's rate-limit budget (set by `http.deps`).
RATE_LIMIT_STATE = "rate_limit_headers"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """`"10.0.0.0/8, ::1"` -> networks; a bare address is a network of one."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    )


def _in(networks: tuple[Network, ...], host: str | None) -> bool:
    if not host or not networks:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def accepts_json(accept: str) -> bool:
    """False only when the client lists media types and none of them is JSON (or a wildcard)."""
    if not accept.strip():
        return True
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if (media in JSON_ACCEPTING or media.endswith("+json")) and _quality(params) > 0:
            return True
    return False


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 1.0
    return 1.0


class Edge:
    def __init__(self, app: ASGIApp, settings: Settings, upload_max_body_bytes: int) -> None:
        self.app = app
        self.trusted_proxies = parse_networks(settings.trusted_proxies)
        self.require_https = settings.require_https
        self.hsts = (
            f"max-age={settings.hsts_max_age}; includeSubDomains" if settings.hsts_max_age else ""
        )
        self.max_body_bytes = settings.max_body_bytes
        self.upload_max_body_bytes = upload_max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        self._believe_trusted_proxy(scope, headers)
        https = scope.get("scheme") == "https"
        try:
            self._check(scope, headers, https)
        except TestamentError as exc:
            response = error_response(exc.status_code, exc.message, exc.fields, exc.headers)
            await response(scope, receive, self._decorating(scope, send, https))
            return
        body = _CountedBody(
            receive, self._decorating(scope, send, https), scope, self._body_limit(headers)
        )
        await self.app(scope, body.receive, body.send)

    def _believe_trusted_proxy(self, scope: Scope, headers: dict[str, str]) -> None:
        client = scope.get("client")
        if not _in(self.trusted_proxies, client[0] if client else None):
            return
        proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if proto in ("http", "https"):
            scope["scheme"] = proto
        # The nearest address not itself a trusted proxy is the client.
        hops = [hop.strip() for hop in headers.get("x-forwarded-for", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            if not _in(self.trusted_proxies, hop):
                scope["client"] = (hop, 0)
                break

    def _check(self, scope: Scope, headers: dict[str, str], https: bool) -> None:
        path: str = scope.get("path", "")
        if self.require_https and not https and path not in PLAIN_HTTP_PATHS:
            raise Forbidden(
                "HTTPS required: this server accepts API calls over HTTPS only. "
                "Use the https:// URL of this server."
            )
        if path.startswith(API_PREFIXES) and not accepts_json(headers.get("accept", "")):
            raise NotAcceptable()
        declared = headers.get("content-length", "")
        # Uploads check their declared length themselves, naming the file field; here they are
        # only counted as they stream (see `_counting`).
        if self._is_upload(headers):
            return
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _too_large(int(declared), self.max_body_bytes)

    @staticmethod
    def _is_upload(headers: dict[str, str]) -> bool:
        return headers.get("content-type", "").lower().startswith("multipart/")

    def _body_limit(self, headers: dict[str, str]) -> int:
        return self.upload_max_body_bytes if self._is_upload(headers) else self.max_body_bytes

    def _decorating(self, scope: Scope, send: Send, https: bool) -> Send:
        hsts = self.hsts if https else ""

        async def decorated(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = {"x-content-type-options": "nosniff"}
                if hsts:
                    extra["strict-transport-security"] = hsts
                budget = scope.get("state", {}).get(RATE_LIMIT_STATE)
                if budget:
                    extra.update({name.lower(): value for name, value in budget.items()})
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                headers += [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in extra.items()
                    if name not in present
                ]
                message["headers"] = headers
            await send(message)

        return decorated


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


def _too_large(size: int | None, limit: int) -> PayloadTooLarge:
    said = f"the request body is {size} bytes" if size else "the request body is too large"
    message = f"Payload too large: {said}; this server accepts at most {limit} bytes."
    return PayloadTooLarge(message, [FieldError("body", message)])


class _CountedBody:
    """Pass the body through, counting it: past `limit` bytes the client gets 413 at once and
    the app is told the client went away, so a body without a truthful `Content-Length` cannot
    fill the memory either. (Raising from `receive` would not do: FastAPI turns any error while
    reading a body into a 400.)"""

    def __init__(self, receive: Receive, send: Send, scope: Scope, limit: int) -> None:
        self._receive = receive
        self._send = send
        self._scope = scope
        self._limit = limit
        self._received = 0
        self._started = False
        self._refused = False

    async def receive(self) -> Message:
        if self._refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit:
                if not self._started:
                    error = _too_large(None, self._limit)
                    response = error_response(error.status_code, error.message, error.fields)
                    await response(self._scope, self._receive, self._send)
                self._refused = True
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self._refused:
            return  # the 413 went out instead
        if message["type"] == "http.response.start":
            self._started = True
        await self._send(message)
