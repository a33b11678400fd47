"""The error tree: the status code lives on the class; one handler renders the Qase envelope.

Services raise these, never `HTTPException`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    error: str


class TestamentError(Exception):
    status_code = 500
    default_message = "Internal server error."

    def __init__(
        self,
        message: str | None = None,
        fields: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.fields = list(fields)
        self.headers = dict(headers or {})
        super().__init__(self.message)


class BadRequest(TestamentError):
    status_code = 400
    default_message = "Bad request."

    @classmethod
    def parameter(cls, name: str, error: str) -> BadRequest:
        """400 for a bad query or path parameter, named as the client sent it."""
        return cls(f"Invalid parameter: {name}: {error}", [FieldError(name, error)])


class Unauthorized(TestamentError):
    status_code = 401
    default_message = "Unauthenticated. Send a valid API token in the `Token` header."


class Forbidden(TestamentError):
    status_code = 403
    default_message = "You do not have the rights for this action."


class NotFound(TestamentError):
    status_code = 404
    default_message = "Not found."


class MethodNotAllowed(TestamentError):
    status_code = 405
    default_message = "Method not allowed."


class Gone(TestamentError):
    status_code = 410
    default_message = "This entity was deleted."


class PayloadTooLarge(TestamentError):
    status_code = 413
    default_message = "The request is too large."


class Invalid(TestamentError):
    """422: the request was understood, but a field's value breaks a rule."""

    status_code = 422
    default_message = "Data is invalid."

    @classmethod
    def field(cls, field: str, error: str) -> Invalid:
        return cls(f"Data is invalid: {field}: {error}", [FieldError(field, error)])


class RateLimited(TestamentError):
    status_code = 429
    default_message = "Too many requests."

    def __init__(
        self,
        retry_after: int,
        message: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            message or f"Too many requests. Retry in {retry_after} seconds.",
            headers={**(headers or {}), "Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


class ServiceUnavailable(TestamentError):
    status_code = 503
    default_message = "The service is unavailable. Try again later."


class NotAcceptable(TestamentError):
    status_code = 406
    default_message = "This API answers in JSON only: send `Accept: application/json`."


class InsufficientStorage(TestamentError):
    status_code = 507
    default_message = "Not enough storage for this request."
