"""Routes whose bodies carry results: a result is never lost for a lone UTF-16 surrogate.

Elsewhere a lone surrogate is refused with a 422 naming the field (`http.guards`); a reporter
cannot fix a test's output, and would drop the whole batch on a 422, so on these routes each lone
surrogate escape becomes U+FFFD in the raw bytes, before FastAPI or pydantic-core parse them.
(The route class is FastAPI's documented way to give routes their own `Request`.)

Every number of a result body goes to an `int` or a bounded `float` field, which refuses an
infinity by itself: `http.guards` skips the search for numbers that overflow to one there.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from testament.kit.json_text import replace_lone_surrogates


class ResultBodyRequest(Request):
    """A request whose body has each lone surrogate escape replaced by `\\ufffd`."""

    async def body(self) -> bytes:
        if not getattr(self, "_surrogates_replaced", False):
            # Starlette caches the body in `_body`, and `json()` reads it from `body()`.
            self._body = replace_lone_surrogates(await super().body())
            self._surrogates_replaced = True
        return self._body


class ResultBodyRoute(APIRoute):
    """`APIRouter(route_class=ResultBodyRoute)` for the routers that take results."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def repaired(request: Request) -> Response:
            return await handler(ResultBodyRequest(request.scope, request.receive))

        return repaired
