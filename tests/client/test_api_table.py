"""The endpoint table `testament api` is built from agrees with the app's routes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from testament.app import api_route_table
from testament.client.generate_operations import app_document, build_operations
from testament.client.operations import OPERATIONS

REGENERATE = "the endpoint table is out of date: run scripts/generate-client-operations"

# The resources the issue names. There is no search endpoint on the server (Qase's `/search`
# is not implemented), so no `search` resource.
RESOURCES = {
    "projects",
    "suites",
    "cases",
    "shared-steps",
    "shared-parameters",
    "milestones",
    "custom-fields",
    "system-fields",
    "environments",
    "configurations",
    "plans",
    "runs",
    "results",
    "defects",
    "reviews",
    "attachments",
    "users",
    "authors",
    "audit-log",
}


def test_the_table_is_what_the_generator_makes_of_the_apps_openapi_document() -> None:
    assert build_operations(app_document()) == OPERATIONS, REGENERATE


def test_every_api_route_has_a_row() -> None:
    rows = {(op.method, op.path): op.operation_id for op in OPERATIONS}
    for version, route in api_route_table():
        for method in route.methods:
            key = (method, f"/{version}{route.path}")
            assert key in rows, f"{key} has no `testament api` command: {REGENERATE}"
            assert rows[key] == route.operation_id, REGENERATE
    assert len(rows) == len(OPERATIONS)


def test_commands_are_unique_and_name_the_issues_resources() -> None:
    commands = Counter((op.resource, op.action) for op in OPERATIONS)
    assert [c for c, n in commands.items() if n > 1] == []
    assert {op.resource for op in OPERATIONS} == RESOURCES
    for resource in RESOURCES - {"system-fields", "audit-log", "users", "authors", "attachments"}:
        actions = {op.action for op in OPERATIONS if op.resource == resource}
        assert {"list", "create"} <= actions, resource


def test_special_operations_have_their_own_actions() -> None:
    names = {op.operation_id: f"{op.resource} {op.action}" for op in OPERATIONS}
    assert names["complete-run"] == "runs complete"
    assert names["update-run-publicity"] == "runs public"
    assert names["create-result-bulk"] == "results bulk"
    assert names["bulk"] == "cases bulk"
    assert names["upload-attachment"] == "attachments upload"
    assert names["grant-access-to-project"] == "projects grant-access"
    assert names["revoke-access-to-project"] == "projects revoke-access"
    assert names["create-result-v2"] == "results create-v2"
    assert names["create-results-v2"] == "results bulk-v2"


def test_flags_within_a_command_are_unique() -> None:
    for op in OPERATIONS:
        flags = [f for p in op.params for f in (p.flag, *p.aliases)]
        assert len(flags) == len(set(flags)), op.operation_id


def test_the_top_level_help_loads_neither_the_table_nor_the_http_client() -> None:
    probe = (
        "import sys, testament.cli.main as m;"
        "heavy = [n for n in ('testament.client.operations', 'httpx', 'fastapi', 'sqlalchemy')"
        " if n in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
