"""The functions the cases resource calls, on the live database."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from testament.kit.errors import Invalid
from testament.models.shared_parameters import SharedParameter
from testament.shared_parameters import service
from tests.acting import Acting, under_the_api
from tests.factories import make_project
from tests.live import LiveServer
from tests.shared_parameters.helpers import GROUP, SINGLE, make_parameter


def _global_ids(server: LiveServer, *uuids: str) -> list[int]:
    with under_the_api(server) as session:
        found = dict(
            session.execute(
                select(SharedParameter.uuid, SharedParameter.id).where(
                    SharedParameter.uuid.in_([uuid.UUID(u) for u in uuids])
                )
            ).all()
        )
        return [found[uuid.UUID(u)] for u in uuids]


def test_ids_for_uuids_requires_the_parameter_enabled_in_the_project(
    api: httpx.Client, acting: Acting, server: LiveServer
) -> None:
    code, other = make_project(api), make_project(api)
    linked = make_parameter(api, project_codes=[code])
    everywhere = make_parameter(api, is_enabled_for_all_projects=True)
    elsewhere = make_parameter(api, project_codes=[other])
    linked_id, everywhere_id = _global_ids(server, linked, everywhere)
    with acting(code) as (session, ctx):
        assert service.ids_for_uuids(session, ctx.project.id, [linked, everywhere.upper()]) == {
            linked: linked_id,
            everywhere.upper(): everywhere_id,
        }
        assert service.ids_for_uuids(session, ctx.project.id, []) == {}
        for bad in ([linked, elsewhere], [str(uuid.uuid4())], ["not-a-uuid"]):
            with pytest.raises(Invalid) as raised:
                service.ids_for_uuids(session, ctx.project.id, bad, field="parameters[1]")
            assert [f.field for f in raised.value.fields] == ["parameters[1]"]


def test_describe_for_ids_has_the_case_parameter_shape(
    api: httpx.Client, server: LiveServer
) -> None:
    single = make_parameter(api, is_enabled_for_all_projects=True)
    group = make_parameter(api, type="group", parameters=GROUP, is_enabled_for_all_projects=True)
    single_id, group_id = _global_ids(server, single, group)
    with under_the_api(server) as session:
        described = service.describe_for_ids(session, [single_id, group_id, 999_999_999])
    assert described == {
        single_id: {"shared_id": single, "type": "single", "item": SINGLE[0]},
        group_id: {"shared_id": group, "type": "group", "items": GROUP},
    }
