"""Defect test data over HTTP, and direct access to a live server's database for what no endpoint
of ours writes (runs and results) and for rows the API does not show (links, audit entries)."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.access.secrets import hash_token
from testament.defects import service
from testament.kit.numbering import next_project_number
from testament.models.attachments import AttachmentLink
from testament.models.custom_fields import CustomFieldValue
from testament.models.defects import Defect, DefectResult
from testament.models.identity import ApiToken, AuditEntry, Author
from testament.models.milestones import Milestone
from testament.models.project import Project
from testament.models.results import Result
from testament.models.runs import Run
from testament.models.tags import DefectTag
from tests.live import LiveServer

STRING_FIELD = 1
DEFECT_ENTITY = 2
SEVERITY_SLUGS = ("undefined", "blocker", "critical", "major", "normal", "minor", "trivial")
_content = itertools.count()


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def defect_body(**fields: object) -> dict[str, Any]:
    return {"title": "Login fails", "actual_result": "500 error", "severity": 3, **fields}


def make_defect(api: httpx.Client, code: str, **fields: object) -> int:
    """Create a defect and return its id."""
    return int(ok(api.post(f"/v1/defect/{code}", json=defect_body(**fields)))["id"])


def get_defect(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/defect/{code}/{number}"))
    return result


def list_defects(api: httpx.Client, code: str, **params: object) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/defect/{code}", params={"limit": 100, **params}))
    return result


def set_status(api: httpx.Client, code: str, number: int, status: str) -> None:
    response = api.patch(f"/v1/defect/{code}/status/{number}", json={"status": status})
    assert (response.status_code, response.json()) == (200, {"status": True}), response.text


def make_milestone(api: httpx.Client, code: str) -> int:
    return int(ok(api.post(f"/v1/milestone/{code}", json={"title": "Release"}))["id"])


def upload(api: httpx.Client, code: str, name: str = "log.txt") -> str:
    content = f"attachment {next(_content)} {secrets.token_hex(4)}".encode()
    files = [("file[]", (name, content, "text/plain"))]
    return str(ok(api.post(f"/v1/attachment/{code}", files=files))[0]["hash"])


def make_defect_field(api: httpx.Client, code: str, **fields: object) -> int:
    """A string custom field for defects, enabled in project `code` only."""
    body = {
        "title": f"Field {secrets.token_hex(3)}",
        "entity": DEFECT_ENTITY,
        "type": STRING_FIELD,
        "projects_codes": [code],
        **fields,
    }
    return int(ok(api.post("/v1/custom_field", json=body))["id"])


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


@dataclass(frozen=True)
class Source:
    """A run and a result in it, as stored (global ids) and as clients see them."""

    run_id: int
    result_id: int
    run_number: int
    result_hash: str


@dataclass(frozen=True)
class Leftovers:
    defect_results: int
    defect_tags: int
    attachment_links: int
    custom_values: int


class Store:
    """The live server's database."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.database = server.database()

    def close(self) -> None:
        self.database.engine.dispose()

    @staticmethod
    def _project(session: Session, code: str) -> Project:
        project = session.scalar(select(Project).where(Project.code == code.upper()))
        assert project is not None, code
        return project

    def add_result(self, code: str, run: int | None = None) -> Source:
        """A failed result in run `run` (a run's global id), or in a new run."""
        with self.database.session() as session, session.begin():
            project_id = self._project(session, code).id
            if run is None:
                row = Run(
                    project_id=project_id,
                    number=next_project_number(session, project_id, "run"),
                    title="Nightly",
                )
                session.add(row)
                session.flush()
                run = row.id
            result = Result(
                project_id=project_id, run_id=run, hash=secrets.token_hex(20), status="failed"
            )
            session.add(result)
            session.flush()
            number = session.scalar(select(Run.number).where(Run.id == run))
            assert number is not None
            return Source(run, result.id, number, result.hash)

    def file_from_result(self, code: str, source: Source, role: str = "admin", **kw: Any) -> int:
        """`service.create_for_result` as the results resource calls it."""
        fields: dict[str, Any] = {"title": "From result", "actual_result": "Boom", "severity": None}
        fields.update(kw)
        with self.database.session() as session, session.begin():
            project = self._project(session, code)
            ctx = ProjectContext(project=project, actor=self.actor(session, role))
            return service.create_for_result(
                session, ctx, result_id=source.result_id, run_id=source.run_id, **fields
            )

    def link(self, code: str, number: int, source: Source) -> None:
        """Link defect `number` to one more result, as no endpoint does."""
        defect_id = self.defect_id(code, number)
        with self.database.session() as session, session.begin():
            project_id = self._project(session, code).id
            session.add(
                DefectResult(
                    project_id=project_id,
                    defect_id=defect_id,
                    result_id=source.result_id,
                    run_id=source.run_id,
                )
            )

    def milestone_id(self, code: str, number: int) -> int:
        with self.database.session(write=False) as session:
            project_id = self._project(session, code).id
            found = session.scalar(
                select(Milestone.id).where(
                    Milestone.project_id == project_id, Milestone.number == number
                )
            )
            assert found is not None
            return found

    def actor(self, session: Session, role: str) -> Actor:
        token = session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(self.server.tokens[role]))
        )
        assert token is not None
        return Actor(
            user_id=token.user_id,
            token_id=token.id,
            role=role,
            permissions=BUILTIN_ROLE_PERMISSIONS[role],
            author_id=self.author_id(role),
        )

    def author_id(self, role: str) -> int:
        """The author id of the user holding `role`'s token."""
        with self.database.session(write=False) as session:
            found = session.scalar(
                select(Author.id)
                .join(ApiToken, ApiToken.user_id == Author.entity_id)
                .where(
                    Author.entity_type == "user",
                    ApiToken.token_hash == hash_token(self.server.tokens[role]),
                )
            )
            assert found is not None
            return found

    def defect_id(self, code: str, number: int) -> int:
        with self.database.session(write=False) as session:
            project_id = self._project(session, code).id
            found = session.scalar(
                select(Defect.id).where(Defect.project_id == project_id, Defect.number == number)
            )
            assert found is not None
            return found

    def leftovers(self, defect_id: int) -> Leftovers:
        """Rows still pointing at the defect with global id `defect_id`."""
        with self.database.session(write=False) as session:

            def count(model: Any, *where: Any) -> int:
                return int(session.scalar(select(func.count()).select_from(model).where(*where)))

            return Leftovers(
                defect_results=count(DefectResult, DefectResult.defect_id == defect_id),
                defect_tags=count(DefectTag, DefectTag.defect_id == defect_id),
                attachment_links=count(
                    AttachmentLink,
                    AttachmentLink.entity_type == "defect",
                    AttachmentLink.entity_id == defect_id,
                ),
                custom_values=count(
                    CustomFieldValue,
                    CustomFieldValue.entity_type == "defect",
                    CustomFieldValue.entity_id == defect_id,
                ),
            )

    def audit_actions(self, code: str, number: int) -> list[str]:
        with self.database.session(write=False) as session:
            project_id = self._project(session, code).id
            return list(
                session.scalars(
                    select(AuditEntry.action)
                    .where(
                        AuditEntry.entity_type == "defect",
                        AuditEntry.entity_id == str(number),
                        AuditEntry.project_id == project_id,
                    )
                    .order_by(AuditEntry.id)
                )
            )


@pytest.fixture
def store(server: LiveServer) -> Iterator[Store]:
    opened = Store(server)
    yield opened
    opened.close()
