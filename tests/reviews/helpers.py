"""Review test helpers over HTTP, and authors in-process.

The review workflow (verdicts, merging, declining) has no v1 operations: tests call its service
functions in an `acting` unit of work.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.models.identity import Author
from tests.acting import Acting

NO_REVIEW = {"review": {"enabled": False}}


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()["result"]


def field_names(response: httpx.Response) -> list[str]:
    return [f["field"] for f in response.json()["errorFields"]]


def make_case(api: httpx.Client, code: str, title: str = "A case", **fields: Any) -> int:
    return int(ok(api.post(f"/v1/case/{code}", json={"title": title, **fields}))["id"])


def get_case(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/case/{code}/{number}"))
    return result


def make_review(api: httpx.Client, code: str, **body: Any) -> int:
    """Create a review; a create review titled "New case" unless told otherwise."""
    body.setdefault("proposed_case", {"title": "New case"})
    return int(ok(api.post(f"/v1/review/{code}", json=body))["id"])


def get_review(api: httpx.Client, code: str, number: int) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/review/{code}/{number}"))
    return result


def list_reviews(api: httpx.Client, code: str, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(api.get(f"/v1/review/{code}", params={"limit": 100, **params}))
    return result


def author_uuid(api: httpx.Client, role: str) -> str:
    """The author UUID of the test server's user holding `role`."""
    authors = ok(api.get("/v1/author", params={"limit": 100, "type": "user"}))["entities"]
    return next(str(a["uuid"]) for a in authors if a["email"] == f"{role}@example.com")


def make_suite(api: httpx.Client, code: str, title: str = "Suite") -> int:
    return int(ok(api.post(f"/v1/suite/{code}", json={"title": title}))["id"])


def author_id(session: Session, author_uuid: str) -> int:
    """The global id of the author with `author_uuid` (the workflow functions take ids)."""
    found = session.scalar(select(Author.id).where(Author.uuid == author_uuid))
    assert found is not None, author_uuid
    return found


def add_author(acting: Acting, code: str, *, entity_type: str = "user", active: bool = True) -> str:
    """An author no endpoint or service makes (an app, or a deactivated person); its uuid."""
    with acting(code) as (session, _):
        author = Author(
            uuid=str(uuid.uuid4()),
            entity_type=entity_type,
            entity_id=900_000_000 + uuid.uuid4().int % 100_000_000,
            name=f"Extra {entity_type}",
            email="",
            is_active=active,
        )
        session.add(author)
        session.flush()
        return author.uuid
