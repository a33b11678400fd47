"""The service's rules where no built-in role reaches them: a role that reads the audit log but
does not see every project reads nothing about the projects hidden from it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from testament.access.actor import Actor
from testament.audit import service
from testament.audit.filters import AuditFilters
from testament.kit.errors import NotFound
from tests.acting import under_the_api
from tests.audit.helpers import user_ids
from tests.factories import make_project
from tests.live import LiveServer


def test_a_restricted_reader_sees_only_its_projects_entries(
    server: LiveServer, client_as: Callable[[str | None], httpx.Client]
) -> None:
    admin = client_as("admin")
    hidden = make_project(admin, access="none")
    open_code = make_project(admin)
    reader = Actor(
        user_id=user_ids(admin)["member@example.com"],
        token_id=None,
        role="member",
        permissions=frozenset({"audit_log.read"}),
        author_id=None,
    )
    with under_the_api(server) as session:
        seen = service.list_entries(session, reader, AuditFilters(), limit=100_000)
        with pytest.raises(NotFound):
            service.list_entries(session, reader, AuditFilters(project=hidden), limit=10)
        everything = service.list_entries(session, None, AuditFilters(), limit=100_000)
    assert {(e.entity_type, e.entity_id) for e in everything.entities} >= {
        ("project", hidden),
        ("project", open_code),
    }
    seen_ids = {(e.entity_type, e.entity_id) for e in seen.entities}
    assert ("project", open_code) in seen_ids
    assert ("project", hidden) not in seen_ids
    assert hidden not in {e.project_code for e in seen.entities}
