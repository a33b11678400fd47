"""The official `qase-api-v2-client` (PyPI) aimed at a live server's `/v2`, its traffic
contract-checked like the v1 client's (see tests/qase_client.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from qase.api_client_v2.api_client import ApiClient
from qase.api_client_v2.configuration import Configuration

from tests.contract import validate_response
from tests.live import LiveServer


class ValidatingApiClient(ApiClient):  # type: ignore[misc]
    def call_api(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        response = super().call_api(method, url, *args, **kwargs)
        body = response.read()
        validate_response(method, urlsplit(url).path, response.status, body or b"")
        return response


def validating_client(base_url: str, token: str) -> ApiClient:
    configuration = Configuration(host=f"{base_url}/v2")
    configuration.api_key["TokenAuth"] = token
    return ValidatingApiClient(configuration)


@pytest.fixture
def qase_v2_for(server: LiveServer) -> Callable[..., ApiClient]:
    """`qase_v2_for(role)`: the official v2 client holding that role's token (admin by default)."""
    return lambda role="admin": validating_client(server.url, server.tokens[role])


@pytest.fixture
def server_url_client(server: LiveServer) -> Callable[[str], ApiClient]:
    """The official v2 client holding any token, valid or not."""
    return lambda token: validating_client(server.url, token)
