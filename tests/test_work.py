"""`testament.work.unit_of_work` and the `acting` fixture built on it: one transaction that
commits when the block ends and writes nothing when it raises, and a project context refused
exactly as the API refuses the same actor."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from testament.cases import service as cases
from testament.cases.schemas import CaseCreate
from testament.kit.errors import Forbidden, NotFound
from testament.work import unit_of_work
from tests.acting import Acting, actor_of, audit_trail
from tests.factories import make_project
from tests.live import LiveServer

# Commit and rollback of one transaction on each dialect.
pytestmark = pytest.mark.both_backends

ClientAs = Callable[[str | None], httpx.Client]


class _Boom(Exception):
    pass


def _case_titles(api: httpx.Client, code: str) -> list[str]:
    response = api.get(f"/v1/case/{code}", params={"limit": 100})
    assert response.status_code == 200, response.text
    return [case["title"] for case in response.json()["result"]["entities"]]


def test_a_block_that_ends_commits(api: httpx.Client, acting: Acting, server: LiveServer) -> None:
    code = make_project(api)
    with acting(code, "member", "case.create") as (session, ctx):
        number = cases.create_case(session, ctx, CaseCreate(title="Written")).number
    assert number == 1
    assert _case_titles(api, code) == ["Written"]
    assert audit_trail(server, code, "case") == [("create", "1")]


def test_a_block_that_raises_writes_nothing(
    api: httpx.Client, acting: Acting, server: LiveServer
) -> None:
    code = make_project(api)
    with pytest.raises(_Boom), acting(code, "member", "case.create") as (session, ctx):
        cases.create_case(session, ctx, CaseCreate(title="Lost"))
        raise _Boom
    assert _case_titles(api, code) == []
    assert audit_trail(server, code, "case") == []
    # The project's case counter was rolled back with the case: the next one is still number 1.
    with acting(code) as (session, ctx):
        assert cases.create_case(session, ctx, CaseCreate(title="Next")).number == 1


def test_commit_false_rolls_back_a_block_that_ends(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api)
    with acting(code, commit=False) as (session, ctx):
        assert cases.create_case(session, ctx, CaseCreate(title="Tried")).number == 1
    assert _case_titles(api, code) == []
    with acting(code) as (session, ctx):
        assert cases.create_case(session, ctx, CaseCreate(title="Kept")).number == 1


def test_a_role_short_of_the_permission_is_forbidden_as_over_http(
    api: httpx.Client, acting: Acting, client_as: ClientAs
) -> None:
    code = make_project(api)
    over_http = client_as("viewer").post(f"/v1/case/{code}", json={"title": "x"})
    with (
        pytest.raises(Forbidden) as raised,
        acting(code, "viewer", "case.create"),
    ):
        pytest.fail("the block must not run")
    assert (raised.value.status_code, raised.value.message) == (
        over_http.status_code,
        over_http.json()["errorMessage"],
    )
    assert over_http.status_code == 403
    assert _case_titles(api, code) == []


def test_a_project_hidden_from_the_role_is_not_found_as_over_http(
    api: httpx.Client, acting: Acting, client_as: ClientAs
) -> None:
    code = make_project(api, access="none")
    over_http = client_as("member").post(f"/v1/case/{code}", json={"title": "x"})
    # Visibility comes first: a permission the role holds or not, the answer is the same 404.
    for permission in ("case.create", "project.delete"):
        with pytest.raises(NotFound) as raised, acting(code, "member", permission):
            pytest.fail("the block must not run")
        assert (raised.value.status_code, raised.value.message) == (
            over_http.status_code,
            over_http.json()["errorMessage"],
        )
    assert over_http.status_code == 404
    with acting(code, "admin", "case.create") as (_, ctx):
        assert ctx.project.code == code


def test_an_absent_project_is_not_found(acting: Acting) -> None:
    with pytest.raises(NotFound), acting("NOSUCHPROJECT"):
        pytest.fail("the block must not run")


def test_a_project_context_needs_an_actor_and_a_known_permission(
    api: httpx.Client, server: LiveServer
) -> None:
    code = make_project(api)
    database = server.database()
    with pytest.raises(ValueError, match="needs an actor"):
        unit_of_work(database, None, code, "case.create")  # type: ignore[call-overload]
    with (
        pytest.raises(ValueError, match="unknown permission"),
        unit_of_work(database, actor_of(server, "admin"), code, "case.make"),
    ):
        pytest.fail("the block must not run")
