"""`defects.service.create_for_result` (what the results resource calls), called in the live
server's database as a member, on results the results service recorded."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.custom_fields import service as custom_fields
from testament.defects import service
from testament.kit.errors import Invalid
from testament.milestones.service import milestone_id_for_number
from testament.models.defects import Defect, DefectResult
from testament.models.identity import AuditEntry
from tests.acting import Acting, actor_of, under_the_api
from tests.defects.helpers import add_result, make_defect_field, make_milestone
from tests.factories import make_project
from tests.live import LiveServer

# Defects filed from results: numbering and links on each dialect.
pytestmark = pytest.mark.both_backends


@dataclass
class World:
    server: LiveServer
    acting: Acting
    code: str
    project_id: int
    actor: Actor
    run_id: int
    run_number: int
    result_ids: list[int]
    result_hashes: list[str]
    milestone_id: int


@pytest.fixture
def world(api: httpx.Client, acting: Acting, server: LiveServer) -> World:
    """A project of its own with a milestone and a run holding three failed results."""
    code = make_project(api)
    milestone = make_milestone(api, code)
    first = add_result(acting, code)
    sources = [first, *(add_result(acting, code, run=first.run_number) for _ in range(2))]
    with acting(code) as (session, ctx):
        project_id = ctx.project.id
        milestone_id = milestone_id_for_number(session, project_id, milestone)
    assert milestone_id is not None
    return World(
        server=server,
        acting=acting,
        code=code,
        project_id=project_id,
        actor=actor_of(server, "member"),
        run_id=first.run_id,
        run_number=first.run_number,
        result_ids=[s.result_id for s in sources],
        result_hashes=[s.result_hash for s in sources],
        milestone_id=milestone_id,
    )


def _file(world: World, index: int = 0, **fields: object) -> int:
    values: dict[str, object] = {"title": "Broken", "actual_result": "Trace", "severity": 3}
    values.update(fields)
    with world.acting(world.code, "member") as (session, ctx):
        return service.create_for_result(
            session,
            ctx,
            result_id=world.result_ids[index],
            run_id=world.run_id,
            **values,  # type: ignore[arg-type]
        )


def _defect_ids(session: Session, world: World) -> list[int]:
    return list(session.scalars(select(Defect.id).where(Defect.project_id == world.project_id)))


def test_files_an_open_defect_linked_to_the_result(world: World) -> None:
    number = _file(world, milestone_id=world.milestone_id)
    assert number == 1
    with under_the_api(world.server) as session:
        defect = session.scalar(select(Defect).where(Defect.project_id == world.project_id))
        assert defect is not None
        assert (defect.number, defect.title, defect.actual_result) == (1, "Broken", "Trace")
        assert (defect.severity, defect.status, defect.resolved_at) == (3, "open", None)
        assert (defect.milestone_id, defect.author_id) == (
            world.milestone_id,
            world.actor.author_id,
        )
        links = session.execute(
            select(DefectResult.project_id, DefectResult.result_id, DefectResult.run_id).where(
                DefectResult.defect_id == defect.id
            )
        ).all()
        assert [tuple(link) for link in links] == [
            (world.project_id, world.result_ids[0], world.run_id)
        ]
        described = service.describe(session, [defect], "http://testament.example")[0]
        assert (described.id, described.severity, described.status) == (1, "major", "open")
        assert (described.runs, described.results) == ([world.run_number], [world.result_hashes[0]])
        assert described.milestone_id == 1
        audit = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type == "defect", AuditEntry.project_id == world.project_id
            )
        ).all()
        assert list(audit) == ["create"]


def test_numbers_follow_the_projects_defect_counter(world: World) -> None:
    assert [_file(world, 0), _file(world, 1), _file(world, 2)] == [1, 2, 3]


def test_no_severity_is_undefined(world: World) -> None:
    number = _file(world, severity=None)
    with under_the_api(world.server) as session:
        defect = session.scalar(
            select(Defect).where(Defect.project_id == world.project_id, Defect.number == number)
        )
        assert defect is not None and defect.severity == 0


@pytest.mark.parametrize("severity", [7, -1, 100])
def test_an_unknown_severity_is_invalid_and_writes_nothing(world: World, severity: int) -> None:
    with pytest.raises(Invalid) as raised:
        _file(world, severity=severity)
    assert [f.field for f in raised.value.fields] == ["severity"]
    with under_the_api(world.server) as session:
        assert _defect_ids(session, world) == []
        in_project = DefectResult.project_id == world.project_id
        assert session.scalars(select(DefectResult.defect_id).where(in_project)).all() == []
    assert _file(world) == 1


def test_a_rolled_back_request_leaves_nothing(world: World) -> None:
    with world.acting(world.code, "member", commit=False) as (session, ctx):
        service.create_for_result(
            session,
            ctx,
            title="Gone",
            actual_result="",
            severity=None,
            result_id=world.result_ids[0],
            run_id=world.run_id,
        )
    with under_the_api(world.server) as session:
        assert _defect_ids(session, world) == []
    assert _file(world) == 1


def test_custom_field_defaults_are_written(api: httpx.Client, world: World) -> None:
    defaulted = make_defect_field(api, world.code, default_value="auto")
    make_defect_field(api, world.code)  # optional, no default: stays empty
    _file(world)
    with under_the_api(world.server) as session:
        [defect_id] = _defect_ids(session, world)
        values = custom_fields.read_values(session, "defect", [defect_id])[defect_id]
        assert values == [{"id": defaulted, "value": "auto"}]


def test_a_required_custom_field_without_default_does_not_fail(
    api: httpx.Client, world: World
) -> None:
    make_defect_field(api, world.code, default_value="auto")
    make_defect_field(api, world.code, is_required=True)
    assert _file(world) == 1
    with under_the_api(world.server) as session:
        [defect_id] = _defect_ids(session, world)
        assert custom_fields.read_values(session, "defect", [defect_id])[defect_id] == []


def test_describe_costs_the_same_for_one_defect_or_many(world: World) -> None:
    for index in range(3):
        _file(world, index)
    with under_the_api(world.server) as session:
        defects = session.scalars(
            select(Defect).where(Defect.project_id == world.project_id).order_by(Defect.number)
        ).all()
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            service.describe(session, defects[:1], "http://testament.example")
            one = len(statements)
            statements.clear()
            described = service.describe(session, defects, "http://testament.example")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(statements) == one
        assert [d.results for d in described] == [[h] for h in world.result_hashes]
