"""One HTTP client for every client command: the `Token` header, the error envelope turned into
`ApiError`, and retries that cannot lose or duplicate work.

Retried: connection errors, 408, 429 (waiting as `Retry-After` says) and 5xx, with exponential
backoff and jitter. Nothing else is retried: a 4xx is the caller's to fix. Writes are retried too,
so callers that create things send idempotency keys (v2 results carry their `id`).

Every command takes its policy from `retry_policy`: interactive commands (`testament api`) give up
on a server they cannot connect to within a couple of seconds; batch commands (upload, import)
keep retrying long enough for a server that is restarting.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from testament import __version__
from testament.client.config import ClientConfig, ConfigError

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507})
DEFAULT_ATTEMPTS = 6
BACKOFF_BASE = 0.5
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0
# Someone at a terminal wants to hear "cannot reach" soon; a CI job would rather wait.
INTERACTIVE_CONNECT_BUDGET = 1.5  # seconds of connection failures before giving up
INTERACTIVE_CONNECT_TIMEOUT = 5.0  # seconds to wait for one connection to open
BACKOFF_VARIABLE = "TESTAMENT_CLIENT_BACKOFF_BASE"


@dataclass
class ApiError(Exception):
    """A request the server refused (or that never got an answer), with what it said."""

    status: int | None  # None: no answer (connection error, timeout)
    message: str
    fields: list[dict[str, str]] = field(default_factory=list)
    method: str = ""
    path: str = ""
    retry_after: float | None = None  # seconds, when the server said (429, 503)

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: " if self.method else ""
        status = f"HTTP {self.status}: " if self.status is not None else ""
        details = "".join(f"\n  {f.get('field')}: {f.get('error')}" for f in self.fields)
        return f"{where}{status}{self.message}{details}"


@dataclass
class RetryPolicy:
    """How often and how long a client retries; `connect_budget` (seconds) also bounds the time
    spent retrying connections that fail to open, `connect_timeout` each connection's opening."""

    attempts: int = DEFAULT_ATTEMPTS
    backoff_base: float = BACKOFF_BASE
    backoff_max: float = BACKOFF_MAX
    connect_budget: float | None = None  # None: only `attempts` bounds connection failures
    connect_timeout: float | None = None  # None: the client's timeout
    sleep: Callable[[float], None] = time.sleep

    def within_connect_budget(self, failing_for: float, wait: float) -> bool:
        """Whether waiting `wait` more seconds after `failing_for` seconds of connection
        failures stays within the budget."""
        return self.connect_budget is None or failing_for + wait <= self.connect_budget

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before attempt `attempt + 1`."""
        if response is not None:
            retry_after = _retry_after(response)
            if retry_after is not None:
                return min(retry_after, RETRY_AFTER_MAX)
        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


def retry_policy(environ: Mapping[str, str], *, interactive: bool) -> RetryPolicy:
    """The policy of every client command; `TESTAMENT_CLIENT_BACKOFF_BASE` (seconds) shortens the
    waits between retries (tests set it small)."""
    raw = environ.get(BACKOFF_VARIABLE, "")
    try:
        base = max(0.0, float(raw)) if raw else BACKOFF_BASE
    except ValueError:
        raise ConfigError(f"{BACKOFF_VARIABLE}={raw!r} is not a number of seconds") from None
    if interactive:
        return RetryPolicy(
            backoff_base=base,
            connect_budget=INTERACTIVE_CONNECT_BUDGET,
            connect_timeout=INTERACTIVE_CONNECT_TIMEOUT,
        )
    return RetryPolicy(backoff_base=base)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class ApiClient:
    def __init__(
        self,
        config: ClientConfig,
        *,
        retry: RetryPolicy | None = None,
        verify: bool | str = True,
        timeout: float = 60.0,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.retry = retry or RetryPolicy()
        self.on_retry = on_retry or _to_stderr
        self._http = httpx.Client(
            base_url=config.api_url,
            headers={
                "Token": config.token,
                "Accept": "application/json",
                "User-Agent": f"testament-cli/{__version__}",
            },
            timeout=httpx.Timeout(timeout, connect=self.retry.connect_timeout or timeout),
            verify=verify,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        expect: tuple[int, ...] = (200, 202),
    ) -> Any:
        """Send, retrying what may be retried; return the parsed JSON body (None if empty)."""
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        response: httpx.Response | None = None
        started = time.monotonic()
        connect_failing_since: float | None = None  # the first of the connection failures in a row
        for attempt in range(self.retry.attempts):
            response = None
            unreachable: Exception | None = None
            try:
                response = self._http.request(
                    method,
                    path,
                    params=clean,
                    json=json,
                    content=content,
                    files=files,
                    headers=headers,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                unreachable = exc
                if connect_failing_since is None:
                    connect_failing_since = time.monotonic()
                failure = ApiError(None, f"no answer: {exc}", method=method, path=path)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                connect_failing_since = None
                failure = ApiError(None, f"no answer: {exc}", method=method, path=path)
            else:
                connect_failing_since = None
                if response.status_code in expect:
                    return response.json() if response.content else None
                failure = error_from(response, method, path)
                if response.status_code not in RETRY_STATUSES:
                    raise failure
            wait = self.retry.delay(attempt, response)
            last = attempt + 1 >= self.retry.attempts
            if unreachable is not None and connect_failing_since is not None:
                failing_for = time.monotonic() - connect_failing_since
                if last or not self.retry.within_connect_budget(failing_for, wait):
                    raise self._unreachable(unreachable, attempt + 1, started, method, path)
            if last:
                raise failure
            self.on_retry(f"retrying in {wait:.1f}s ({failure})")
            self.retry.sleep(wait)
        raise AssertionError("unreachable")

    def _unreachable(
        self, exc: Exception, attempts: int, started: float, method: str, path: str
    ) -> ApiError:
        """The error of a server that could not be connected to, saying where and how long."""
        tries = f"{attempts} attempt" if attempts == 1 else f"{attempts} attempts"
        message = (
            f"cannot reach the server at {self.config.url} ({exc or type(exc).__name__}); "
            f"gave up after {tries} in {time.monotonic() - started:.1f}s. "
            "Is it running, and is the URL (--url or TESTAMENT_URL) right?"
        )
        return ApiError(None, message, method=method, path=path)

    def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every entity of a v1 list, following `limit`/`offset` to the end."""
        offset = int((params or {}).get("offset") or 0)
        while True:
            body = self.request(
                "GET", path, params={**(params or {}), "limit": page_size, "offset": offset}
            )
            result = body.get("result", {}) if isinstance(body, dict) else {}
            entities = result.get("entities", [])
            yield from entities
            offset += len(entities)
            total = result.get("filtered", result.get("total"))
            if not entities or len(entities) < page_size or (total is not None and offset >= total):
                return


def _to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def error_from(response: httpx.Response, method: str, path: str) -> ApiError:
    """The server's error envelope (or what it sent instead) as an `ApiError`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errorMessage"), str):
        fields = [f for f in body.get("errorFields") or [] if isinstance(f, dict)]
        return ApiError(
            response.status_code,
            body["errorMessage"],
            fields,
            method,
            path,
            retry_after=_retry_after(response),
        )
    text = response.text.strip()[:300] or response.reason_phrase
    return ApiError(response.status_code, text, [], method, path, _retry_after(response))
