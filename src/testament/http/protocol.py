"""uvicorn's httptools protocol, with the two limits on request heads that it lacks.

httptools (llhttp) accepts a request line and headers of any size, buffering a header until it
ends, and uvicorn drops only idle keep-alive connections: one that opens and sends nothing, or
stops in the middle of its headers (or sends blank lines forever), was held for good. Here:

- more than `max_header_bytes` of request line and headers is answered 431 and closed, as soon as
  the count passes the limit (the bytes of a head still arriving are counted as they come);
- a connection that has not sent a whole head `header_timeout_seconds` after it opened, or after
  the first byte following a response, is closed. Bodies are not timed: uploads stream.

(h11 bounds heads with `h11_max_incomplete_event_size` but times nothing; uvicorn itself has no
head timeout. `testament serve` runs this class: `uvicorn.run(http=PROTOCOL)`.)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from testament.settings import Settings

PROTOCOL = "testament.http.protocol:HeadLimitedHttpToolsProtocol"
HEAD_TOO_LARGE = 431


@dataclass(frozen=True)
class HeadLimits:
    max_bytes: int
    timeout_seconds: float


@cache
def head_limits() -> HeadLimits:
    """Read once per process: `serve` hands its settings to every worker in the environment."""
    settings = Settings()
    return HeadLimits(settings.max_header_bytes, settings.header_timeout_seconds)


class HeadTooLarge(Exception):
    """Raised from a parser callback to stop parsing; httptools wraps it in a parser error."""


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = head_limits()
        self.max_head_bytes = limits.max_bytes
        self.head_timeout = limits.timeout_seconds
        self.head_deadline: asyncio.TimerHandle | None = None
        # Between a message's end (or the connection's start) and its next head's end.
        self.awaiting_head = True
        self.head_bytes_received = 0  # raw bytes while awaiting a head: all of them are head
        self.head_bytes_parsed = 0  # the current head's URL and completed headers
        self.head_too_large = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.awaiting_head:
            self.head_bytes_received += len(data)
            self._arm_head_deadline()
        super().data_received(data)
        # Parsed to the end and still no whole head: every byte of it so far was head.
        if (
            self.awaiting_head
            and self.head_bytes_received > self.max_head_bytes
            and not self.transport.is_closing()
        ):
            self._refuse_head()

    # Parser callbacks: counted exactly, for a head that ends in the same read as it passes.
    def on_message_begin(self) -> None:
        self.head_bytes_parsed = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.awaiting_head = False
        self.head_bytes_received = 0
        self._disarm_head_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self.awaiting_head = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        # uvicorn answers any parser error with 400; ours, raised by `_count`, is a 431.
        if self.head_too_large:
            self._refuse_head()
        else:
            super().send_400_response(msg)

    def _count(self, size: int) -> None:
        self.head_bytes_parsed += size
        if self.head_bytes_parsed > self.max_head_bytes:
            self.head_too_large = True
            raise HeadTooLarge

    def _refuse_head(self) -> None:
        """431 with the API's error envelope (unless a response is under way), then close."""
        self.head_too_large = True
        if self.cycle is None or self.cycle.response_complete:
            message = (
                "Request header fields too large: this server accepts at most "
                f"{self.max_head_bytes} bytes of request line and headers."
            )
            body = orjson.dumps(
                {
                    "status": False,
                    "errorMessage": message,
                    "errorFields": [{"field": "headers", "error": message}],
                }
            )
            content = [STATUS_LINE[HEAD_TOO_LARGE]]
            for name, value in self.server_state.default_headers:
                content += [name, b": ", value, b"\r\n"]
            content += [
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
                body,
            ]
            self.transport.write(b"".join(content))
        self.transport.close()

    def _arm_head_deadline(self) -> None:
        if self.head_deadline is None:
            self.head_deadline = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_deadline(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_timed_out(self) -> None:
        self.head_deadline = None
        if self.awaiting_head and not self.transport.is_closing():
            self.transport.close()
