"""The route table: every API route is in the contract and declares exactly one permission."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from testament.access.permissions import ALL_PERMISSIONS
from testament.app import api_route_table
from tests.contract import operations

ROUTES = api_route_table()


def _permissions(dependant: Any) -> list[str]:
    found = []
    for dep in dependant.dependencies:
        permission = getattr(dep.call, "permission", None)
        if permission is not None:
            found.append(permission)
        found += _permissions(dep)
    return found


def _id(entry: tuple[str, APIRoute]) -> str:
    version, route = entry
    return f"{sorted(route.methods)[0]} /{version}{route.path}"


def test_the_table_is_not_empty() -> None:
    assert len(ROUTES) >= 7


@pytest.mark.parametrize("entry", ROUTES, ids=_id)
def test_route_declares_one_known_permission(entry: tuple[str, APIRoute]) -> None:
    permissions = _permissions(entry[1].dependant)
    assert len(permissions) == 1, (
        f"{_id(entry)} declares {permissions}: use require() or project_access()"
    )
    assert permissions[0] in ALL_PERMISSIONS


def _normalise(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


@pytest.mark.parametrize("entry", ROUTES, ids=_id)
def test_route_is_a_contract_operation(entry: tuple[str, APIRoute]) -> None:
    version, route = entry
    contract = {(op.method, _normalise(op.template)): op.operation_id for op in operations(version)}
    for method in route.methods:
        key = (method, _normalise(route.path))
        assert key in contract, f"{method} {route.path} is not in the {version} contract"
        assert route.operation_id == contract[key], (
            f"{method} {route.path}: operation_id {route.operation_id!r}, contract says {contract[key]!r}"
        )
