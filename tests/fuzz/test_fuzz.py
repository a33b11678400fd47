"""Fuzz every operation of our OpenAPI document and of the Qase v1 contract against a live server.

schemathesis generates requests (valid and invalid) from each document; every response must be
free of 5xx and conform to the operation's documented status codes, content types and schemas, and
every 4xx must be our error envelope.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from schemathesis import Case
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract import validate_response
from tests.fuzz.documents import own_document, own_openapi, qase_document
from tests.fuzz.seed import Seed, steer
from tests.live import LiveServer

# Generated input meets each dialect's limits (NUL bytes, integer ranges, encodings).
pytestmark = pytest.mark.both_backends

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

own = own_document()
qase = qase_document()


def call_and_check(case: Case[Any], base_url: str, token: str, seed: Seed) -> None:
    """Send the case (path parameters steered to the seed) and hold the response to the checks."""
    method = case.operation.method.upper()
    if case.path_parameters:
        case.path_parameters = steer(seed, method, case.operation.path, case.path_parameters)
    response = case.call(base_url=base_url, headers={"Token": token})
    case.validate_response(response, checks=CHECKS, headers={"Token": token})
    if 400 <= response.status_code < 500:
        path = (response.request.path_url or "").split("?")[0]
        validate_response(method, path, response.status_code, response.content)


def test_the_fuzzed_document_is_the_one_the_server_publishes(server: LiveServer) -> None:
    published = httpx.get(f"{server.url}/openapi.json", timeout=30)
    assert published.status_code == 200
    assert published.json() == own_openapi()


@own.parametrize()
def test_own_openapi_document(case: Case[Any], server: LiveServer, fuzz_seed: Seed) -> None:
    call_and_check(case, server.url, server.tokens["admin"], fuzz_seed)


@qase.parametrize()
def test_qase_v1_contract(case: Case[Any], server: LiveServer, fuzz_seed: Seed) -> None:
    call_and_check(case, f"{server.url}/v1", server.tokens["admin"], fuzz_seed)
