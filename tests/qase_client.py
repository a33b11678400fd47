"""The official `qase-api-client` (PyPI) aimed at a live server, its traffic contract-checked.

The client is used as published; the one subclass only reads each raw response (the same bytes
the client then deserializes) and runs it through the contract validator.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from qase.api_client_v1.api_client import ApiClient
from qase.api_client_v1.configuration import Configuration

from tests.contract import validate_response


class ValidatingApiClient(ApiClient):  # type: ignore[misc]
    def call_api(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        response = super().call_api(method, url, *args, **kwargs)
        body = response.read()
        validate_response(method, urlsplit(url).path, response.status, body or b"")
        return response


def validating_client(base_url: str, token: str) -> ApiClient:
    configuration = Configuration(host=f"{base_url}/v1")
    configuration.api_key["TokenAuth"] = token
    return ValidatingApiClient(configuration)
