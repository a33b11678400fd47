"""Custom field test data over HTTP, and direct access to stored values on a live server."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from testament.custom_fields import service
from testament.models.custom_fields import CustomFieldValue
from tests.acting import audit_actions, project_id, under_the_api
from tests.factories import unique_code
from tests.live import LiveServer

SELECTBOX, CHECKBOX, RADIO, MULTISELECT = 3, 4, 5, 6
OPTION_TYPES = (SELECTBOX, RADIO, MULTISELECT)


def field_body(**fields: object) -> dict[str, Any]:
    """A create body: a selectbox for cases unless told otherwise; select types get two options."""
    body: dict[str, Any] = {"title": f"Field {unique_code(6)}", "entity": 0, "type": SELECTBOX}
    if fields.get("type", SELECTBOX) in OPTION_TYPES:
        body["value"] = [{"title": "Low"}, {"title": "High"}]
    body.update(fields)
    return body


def make_field(api: httpx.Client, **fields: object) -> int:
    """Create a custom field and return its id."""
    response = api.post("/v1/custom_field", json=field_body(**fields))
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["id"])


def get_field(api: httpx.Client, field_id: int) -> dict[str, Any]:
    response = api.get(f"/v1/custom_field/{field_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def options_of(field: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The options of a field as the API answers them (`value` is JSON text)."""
    decoded: list[dict[str, Any]] = json.loads(field["value"])
    return decoded


def error_fields(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


# Made-up entity ids, unique across the test session (the servers live as long as it does).
ENTITY_IDS = itertools.count(10_000_000)


class Stored:
    """Custom field values of entities no endpoint here writes, on the live server's database."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server

    def write(self, code: str, values: Mapping[int, str], entity: str = "case") -> int:
        """Store `values` on a made-up entity of the project; answers its entity id."""
        entity_id = next(ENTITY_IDS)
        with under_the_api(self.server, write=True) as session:
            service.write_values(session, project_id(session, code), entity, entity_id, values)
        return entity_id

    def read(self, entity_id: int, entity: str = "case") -> dict[int, str]:
        with under_the_api(self.server) as session:
            found = service.read_values(session, entity, [entity_id])[entity_id]
            return {int(v["id"]): str(v["value"]) for v in found}

    def audit_actions(self, field_id: int) -> list[str]:
        return audit_actions(self.server, None, "custom_field", field_id)

    def count_values(self, field_id: int) -> int:
        with under_the_api(self.server) as session:
            counted = session.scalar(
                select(func.count()).where(CustomFieldValue.custom_field_id == field_id)
            )
            return int(counted or 0)


@pytest.fixture
def stored(server: LiveServer) -> Stored:
    return Stored(server)
