"""Defect test data over HTTP; runs, results and defects filed from them in-process (no defect
endpoint makes them), and the rows the API does not show (links), read under it."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from testament.defects import service
from testament.models.attachments import AttachmentLink
from testament.models.custom_fields import CustomFieldValue
from testament.models.defects import Defect, DefectResult
from testament.models.tags import DefectTag
from testament.results import service as results
from testament.results.schemas import ResultCreate
from testament.runs import service as runs
from testament.runs.schemas import RunCreate
from tests.acting import Acting, project_id, under_the_api
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


def add_result(acting: Acting, code: str, run: int | None = None) -> Source:
    """A failed result in run number `run`, or in a new run, recorded by the results service."""
    with acting(code) as (session, ctx):
        if run is None:
            run = runs.create_run(session, ctx, RunCreate(title="Nightly")).number
        data = ResultCreate.model_validate({"status": "failed", "case": {"title": "Login"}})
        stored = results.create_result(session, ctx, run, data)
        run_id = runs.get_run(session, ctx.project.id, run).id
        return Source(run_id, stored.id, run, stored.hash)


def file_from_result(
    acting: Acting, code: str, source: Source, role: str = "admin", **fields: Any
) -> int:
    """`service.create_for_result` as the results resource calls it, as `role`."""
    values: dict[str, Any] = {"title": "From result", "actual_result": "Boom", "severity": None}
    values.update(fields)
    with acting(code, role) as (session, ctx):
        return service.create_for_result(
            session, ctx, result_id=source.result_id, run_id=source.run_id, **values
        )


def link(acting: Acting, code: str, number: int, source: Source) -> None:
    """Link defect `number` to one more result, as no endpoint or service does."""
    with acting(code) as (session, ctx):
        session.add(
            DefectResult(
                project_id=ctx.project.id,
                defect_id=service.get_defect(session, ctx, number).id,
                result_id=source.result_id,
                run_id=source.run_id,
            )
        )


def global_defect_id(server: LiveServer, code: str, number: int) -> int:
    """The defect's global id."""
    with under_the_api(server) as session:
        found = session.scalar(
            select(Defect.id).where(
                Defect.project_id == project_id(session, code), Defect.number == number
            )
        )
        assert found is not None
        return found


def leftovers(server: LiveServer, defect_id: int) -> Leftovers:
    """Rows still pointing at the defect with global id `defect_id`."""
    with under_the_api(server) as session:

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
