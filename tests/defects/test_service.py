"""`defects.service.create_for_result` (what the results resource calls) on real SQLite and
PostgreSQL databases, with run and result rows inserted directly."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.custom_fields import definitions
from testament.custom_fields import service as custom_fields
from testament.custom_fields.schemas import CustomFieldCreate
from testament.db import Database
from testament.defects import service
from testament.kit.errors import Invalid
from testament.kit.numbering import next_project_number
from testament.migrate import upgrade
from testament.models.defects import Defect, DefectResult
from testament.models.identity import AuditEntry, Author
from testament.models.milestones import Milestone
from testament.models.project import Project
from testament.models.results import Result
from testament.models.runs import Run
from testament.projects.schemas import ProjectCreate
from testament.projects.service import create_project
from testament.settings import Settings
from testament.users.service import create_user
from tests.conftest import BACKENDS

# Defects filed from results: numbering and links on each dialect.
pytestmark = pytest.mark.both_backends


@dataclass
class World:
    database: Database
    project_id: int
    actor: Actor
    run_id: int
    run_number: int
    result_ids: list[int]
    result_hashes: list[str]
    milestone_id: int


@pytest.fixture(params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path: Path, database_url_for: Callable[[str], str | None]
) -> Iterator[World]:
    db = Database(Settings(data_dir=tmp_path, database_url=database_url_for(request.param)))
    upgrade(db.engine)
    with db.session() as session, session.begin():
        project = create_project(session, None, ProjectCreate(title="Main", code="MAIN"))
        user = create_user(session, None, email="t@example.com", name="T", role_name="member")
        session.flush()
        author_id = session.scalar(
            select(Author.id).where(Author.entity_type == "user", Author.entity_id == user.id)
        )
        assert author_id is not None
        number = next_project_number(session, project.id, "run")
        run = Run(project_id=project.id, number=number, title="Nightly")
        milestone = Milestone(project_id=project.id, number=1, title="Release")
        session.add_all([run, milestone])
        session.flush()
        results = [
            Result(
                project_id=project.id, run_id=run.id, hash=secrets.token_hex(20), status="failed"
            )
            for _ in range(3)
        ]
        session.add_all(results)
        session.flush()
        world = World(
            database=db,
            project_id=project.id,
            actor=Actor(
                user_id=user.id,
                token_id=None,
                role="member",
                permissions=BUILTIN_ROLE_PERMISSIONS["member"],
                author_id=author_id,
            ),
            run_id=run.id,
            run_number=run.number,
            result_ids=[r.id for r in results],
            result_hashes=[r.hash for r in results],
            milestone_id=milestone.id,
        )
    yield world
    db.engine.dispose()


def _ctx(session: Session, world: World) -> ProjectContext:
    project = session.get(Project, world.project_id)
    assert project is not None
    return ProjectContext(project=project, actor=world.actor)


def _file(world: World, index: int = 0, **fields: object) -> int:
    values: dict[str, object] = {"title": "Broken", "actual_result": "Trace", "severity": 3}
    values.update(fields)
    with world.database.session() as session, session.begin():
        return service.create_for_result(
            session,
            _ctx(session, world),
            result_id=world.result_ids[index],
            run_id=world.run_id,
            **values,  # type: ignore[arg-type]
        )


def test_files_an_open_defect_linked_to_the_result(world: World) -> None:
    number = _file(world, milestone_id=world.milestone_id)
    assert number == 1
    with world.database.session(write=False) as session:
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
    with world.database.session(write=False) as session:
        defect = session.scalar(select(Defect).where(Defect.number == number))
        assert defect is not None and defect.severity == 0


@pytest.mark.parametrize("severity", [7, -1, 100])
def test_an_unknown_severity_is_invalid_and_writes_nothing(world: World, severity: int) -> None:
    with pytest.raises(Invalid) as raised:
        _file(world, severity=severity)
    assert [f.field for f in raised.value.fields] == ["severity"]
    with world.database.session(write=False) as session:
        assert session.scalars(select(Defect.id)).all() == []
        assert session.scalars(select(DefectResult.defect_id)).all() == []
    assert _file(world) == 1


def test_a_rolled_back_request_leaves_nothing(world: World) -> None:
    with world.database.session() as session:
        session.begin()
        service.create_for_result(
            session,
            _ctx(session, world),
            title="Gone",
            actual_result="",
            severity=None,
            result_id=world.result_ids[0],
            run_id=world.run_id,
        )
        session.rollback()
    with world.database.session(write=False) as session:
        assert session.scalars(select(Defect.id)).all() == []
    assert _file(world) == 1


def _field(world: World, **spec: object) -> int:
    body = {"title": f"F{secrets.token_hex(3)}", "entity": 2, "type": 1, "projects_codes": ["MAIN"]}
    body.update(spec)
    with world.database.session() as session, session.begin():
        owner = Actor(1, None, "owner", BUILTIN_ROLE_PERMISSIONS["owner"], None)
        return definitions.create_field(session, owner, CustomFieldCreate.model_validate(body)).id


def test_custom_field_defaults_are_written(world: World) -> None:
    defaulted = _field(world, default_value="auto")
    _field(world)  # optional, no default: stays empty
    _file(world)
    with world.database.session(write=False) as session:
        defect_id = session.scalar(select(Defect.id))
        assert defect_id is not None
        values = custom_fields.read_values(session, "defect", [defect_id])[defect_id]
        assert values == [{"id": defaulted, "value": "auto"}]


def test_a_required_custom_field_without_default_does_not_fail(world: World) -> None:
    _field(world, default_value="auto")
    _field(world, is_required=True)
    assert _file(world) == 1
    with world.database.session(write=False) as session:
        defect_id = session.scalar(select(Defect.id))
        assert defect_id is not None
        assert custom_fields.read_values(session, "defect", [defect_id])[defect_id] == []


def test_describe_costs_the_same_for_one_defect_or_many(world: World) -> None:
    for index in range(3):
        _file(world, index)
    with world.database.session(write=False) as session:
        defects = session.scalars(select(Defect).order_by(Defect.number)).all()
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
