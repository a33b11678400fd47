"""The route table: every API route is in the contract and declares exactly one permission."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from testament.access.permissions import ALL_PERMISSIONS
from testament.app import api_route_table, create_app
from testament.http.deps import declared_permissions
from testament.settings import Settings
from tests.contract import operations

ROUTES = api_route_table()

# Our own operations, not in the Qase contract: (method, versioned path) -> operation_id.
EXTENSION_OPERATIONS = {("GET", "/v1/audit_log"): "list-audit-log"}
# Contract operations we do not serve (yet): (version, method, path template).
NOT_ROUTED = {("v1", "GET", "/search")}  # QQL search: no query language yet


def _id(entry: tuple[str, APIRoute]) -> str:
    version, route = entry
    return f"{sorted(route.methods)[0]} /{version}{route.path}"


def expected_routes() -> set[tuple[str, str, str]]:
    """(version, method, path with `{}` for parameters): the contract, less what we do not serve,
    plus our extensions."""
    contract = {
        (version, op.method, _normalise(op.template))
        for version in ("v1", "v2")
        for op in operations(version)
    }
    not_routed = {(v, m, _normalise(t)) for v, m, t in NOT_ROUTED}
    extensions = {
        (path.split("/")[1], method, _normalise("/" + path.split("/", 2)[2]))
        for method, path in EXTENSION_OPERATIONS
    }
    return (contract - not_routed) | extensions


def test_the_table_routes_the_contract() -> None:
    routed = [
        (version, method, _normalise(route.path))
        for version, route in ROUTES
        for method in route.methods
    ]
    assert sorted(routed) == sorted(expected_routes())


@pytest.mark.parametrize("entry", ROUTES, ids=_id)
def test_route_declares_one_known_permission(entry: tuple[str, APIRoute]) -> None:
    permissions = declared_permissions(entry[1].dependant)
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
        extension = EXTENSION_OPERATIONS.get((method, f"/{version}{route.path}"))
        if extension is not None:
            assert route.operation_id == extension
            continue
        key = (method, _normalise(route.path))
        assert key in contract, f"{method} {route.path} is not in the {version} contract"
        assert route.operation_id == contract[key], (
            f"{method} {route.path}: operation_id {route.operation_id!r}, contract says {contract[key]!r}"
        )


def test_extension_operations_are_routes_outside_the_contract() -> None:
    routes = {
        (method, f"/{version}{route.path}"): route.operation_id
        for version, route in ROUTES
        for method in route.methods
    }
    for (method, path), operation_id in EXTENSION_OPERATIONS.items():
        assert routes.get((method, path)) == operation_id, f"{method} {path} is not routed"
        version, rest = path.split("/", 2)[1:]
        contract = {(op.method, _normalise(op.template)) for op in operations(version)}
        assert (method, _normalise("/" + rest)) not in contract, (
            f"{method} {path} is in the contract"
        )


def test_every_reference_in_our_openapi_document_resolves(tmp_path: Path) -> None:
    document = create_app(Settings(data_dir=tmp_path)).openapi()
    schemas = document["components"]["schemas"]
    references = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(document)))
    assert references, "the document refers to no schema at all"
    unresolved = [r for r in references if r.removeprefix("#/components/schemas/") not in schemas]
    assert unresolved == []
