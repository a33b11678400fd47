"""What the runs resource calls: `environment_id_for` and `numbers_for_ids`, on a live database."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from testament.environments import service
from testament.kit.errors import Invalid
from testament.models.environments import Environment
from tests.acting import Acting
from tests.environments.helpers import make_environment
from tests.factories import make_project


def _ids(acting: Acting, code: str) -> dict[int, int]:
    """Number -> global id of the project's environments."""
    with acting(code, commit=False) as (session, ctx):
        rows = session.execute(
            select(Environment.number, Environment.id).where(
                Environment.project_id == ctx.project.id
            )
        )
        return {row[0]: row[1] for row in rows}


def _error(exc: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [f.field for f in exc.value.fields]


class TestEnvironmentIdFor:
    def test_by_number_and_by_slug(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        make_environment(api, code, "prod")
        ids = _ids(acting, code)
        with acting(code, commit=False) as (session, ctx):
            pid = ctx.project.id
            assert service.environment_id_for(session, pid, number=2) == ids[2]
            assert service.environment_id_for(session, pid, slug="qa") == ids[1]
            assert service.environment_id_for(session, pid, number=1, slug="qa") == ids[1]
            assert service.environment_id_for(session, pid) is None

    def test_unknown_number_names_the_field(self, api: httpx.Client, acting: Acting) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, other, "qa")
        with acting(code, commit=False) as (session, ctx):
            with pytest.raises(Invalid) as exc:
                service.environment_id_for(session, ctx.project.id, number=1)
            assert _error(exc) == ["environment_id"]
            with pytest.raises(Invalid) as exc:
                service.environment_id_for(session, ctx.project.id, number=2**40, field="env")
            assert _error(exc) == ["env"]

    def test_unknown_slug_names_environment_slug(self, api: httpx.Client, acting: Acting) -> None:
        code, other = make_project(api), make_project(api)
        make_environment(api, other, "qa")
        with acting(code, commit=False) as (session, ctx):
            with pytest.raises(Invalid) as exc:
                service.environment_id_for(session, ctx.project.id, slug="qa")
            assert _error(exc) == ["environment_slug"]
            with pytest.raises(Invalid) as exc:
                service.environment_id_for(session, ctx.project.id, slug="qa", field="env")
            assert _error(exc) == ["env"]

    def test_number_and_slug_of_different_environments_conflict(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        make_environment(api, code, "qa")
        make_environment(api, code, "prod")
        with acting(code, commit=False) as (session, ctx):
            with pytest.raises(Invalid) as exc:
                service.environment_id_for(session, ctx.project.id, number=1, slug="prod")
            assert _error(exc) == ["environment_slug"]


def test_numbers_for_ids(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api)
    for slug in ("a", "b", "c"):
        make_environment(api, code, slug)
    ids = _ids(acting, code)
    with acting(code, commit=False) as (session, _):
        assert service.numbers_for_ids(session, [ids[3], ids[1], ids[1]]) == {ids[1]: 1, ids[3]: 3}
        assert service.numbers_for_ids(session, []) == {}
