"""What runs and reporters call: number/id lookups and find-or-create, on a live database."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.configurations import service
from testament.kit.errors import Invalid
from testament.models.configurations import Configuration
from tests.acting import Acting, audit_trail
from tests.configurations.helpers import list_groups, make_configuration, make_group
from tests.factories import make_project
from tests.live import LiveServer


def _ids(acting: Acting, code: str) -> dict[int, int]:
    """Number -> global id of the project's configurations."""
    with acting(code, commit=False) as (session, ctx):
        rows = session.execute(
            select(Configuration.number, Configuration.id).where(
                Configuration.project_id == ctx.project.id
            )
        )
        return {row[0]: row[1] for row in rows}


def _project_with_three(api: httpx.Client) -> str:
    code = make_project(api)
    browser = make_group(api, code, "Browser")
    for title in ("Firefox", "Chrome", "Safari"):
        make_configuration(api, code, browser, title)
    return code


class TestIdsForNumbers:
    def test_maps_numbers_to_ids(self, api: httpx.Client, acting: Acting) -> None:
        code = _project_with_three(api)
        ids = _ids(acting, code)
        with acting(code, commit=False) as (session, ctx):
            found = service.ids_for_numbers(session, ctx.project.id, [3, 1, 1])
            assert found == {1: ids[1], 3: ids[3]}
            assert service.ids_for_numbers(session, ctx.project.id, []) == {}

    @pytest.mark.parametrize("numbers", [[1, 4], [2**31], [0], [-5]])
    def test_unknown_numbers_name_the_field(
        self, api: httpx.Client, acting: Acting, numbers: list[int]
    ) -> None:
        code = _project_with_three(api)
        with acting(code, commit=False) as (session, ctx):
            with pytest.raises(Invalid) as exc:
                service.ids_for_numbers(session, ctx.project.id, numbers)
            assert [f.field for f in exc.value.fields] == ["configurations"]
            with pytest.raises(Invalid) as exc:
                service.ids_for_numbers(session, ctx.project.id, numbers, field="configs")
            assert [f.field for f in exc.value.fields] == ["configs"]

    def test_another_projects_numbers_are_unknown(self, api: httpx.Client, acting: Acting) -> None:
        _project_with_three(api)
        code = make_project(api)
        with acting(code, commit=False) as (session, ctx), pytest.raises(Invalid):
            service.ids_for_numbers(session, ctx.project.id, [1])


def test_numbers_for_ids(api: httpx.Client, acting: Acting) -> None:
    code = _project_with_three(api)
    ids = _ids(acting, code)
    with acting(code, commit=False) as (session, _):
        assert service.numbers_for_ids(session, [ids[2], ids[3]]) == {ids[2]: 2, ids[3]: 3}
        assert service.numbers_for_ids(session, []) == {}


class TestFindOrCreate:
    def test_finds_an_existing_configuration(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = _project_with_three(api)
        ids = _ids(acting, code)
        with acting(code) as (session, ctx):
            assert service.find_or_create(session, ctx, "Browser", "Chrome") == ids[2]
        assert list_groups(api, code)["total"] == 1
        assert len(audit_trail(server, code, "configuration")) == 3

    def test_creates_the_configuration_in_an_existing_group(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = _project_with_three(api)
        with acting(code) as (session, ctx):
            created = service.find_or_create(session, ctx, "Browser", "Edge")
        assert _ids(acting, code)[4] == created
        configurations = list_groups(api, code)["entities"][0]["configurations"]
        assert configurations[-1] == {"id": 4, "title": "Edge"}
        assert audit_trail(server, code, "configuration")[-1] == ("create", "4")

    def test_creates_group_and_configuration(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = _project_with_three(api)
        with acting(code) as (session, ctx):
            created = service.find_or_create(session, ctx, "OS", "Linux")
            # Asked again in the same transaction: found, not created twice.
            assert service.find_or_create(session, ctx, "OS", "Linux") == created
        assert list_groups(api, code)["entities"][1] == {
            "id": 2,
            "title": "OS",
            "configurations": [{"id": 4, "title": "Linux"}],
        }
        assert audit_trail(server, code, "configuration_group")[-1] == ("create", "2")

    def test_titles_match_exactly(self, api: httpx.Client, acting: Acting) -> None:
        code = _project_with_three(api)
        with acting(code) as (session, ctx):
            service.find_or_create(session, ctx, "browser", "firefox")
        assert [g["title"] for g in list_groups(api, code)["entities"]] == ["Browser", "browser"]

    @pytest.mark.parametrize(
        ("group", "title"), [("", "x"), ("G", ""), ("G" * 256, "x"), ("G", "a\x00")]
    )
    def test_titles_that_cannot_be_stored_are_422(
        self, api: httpx.Client, acting: Acting, group: str, title: str
    ) -> None:
        code = make_project(api)
        with acting(code, commit=False) as (session, ctx):
            with pytest.raises(Invalid) as exc:
                service.find_or_create(session, ctx, group, title)
            assert [f.field for f in exc.value.fields] == ["configurations"]


def test_a_lost_insert_race_writes_nothing(
    api: httpx.Client, acting: Acting, server: LiveServer
) -> None:
    """The path a concurrent creator takes: the insert fails on the unique title, inside a
    savepoint, so the transaction goes on and no number is used up."""
    code = _project_with_three(api)
    with acting(code) as (session, ctx):
        assert service._insert_group(session, ctx, "Browser") is None
        group = service._group_by_title(session, ctx.project.id, "Browser")
        assert group is not None
        assert service._insert_configuration(session, ctx, group, "Chrome") is None
        created = service.find_or_create(session, ctx, "Browser", "Opera")
        assert created == _id_of(session, ctx.project.id, 4)
    assert [c["id"] for c in list_groups(api, code)["entities"][0]["configurations"]] == [
        1,
        2,
        3,
        4,
    ]
    assert audit_trail(server, code, "configuration_group") == [("create", "1")]


def _id_of(session: Session, project_id: int, number: int) -> int | None:
    return session.scalar(
        select(Configuration.id).where(
            Configuration.project_id == project_id, Configuration.number == number
        )
    )
