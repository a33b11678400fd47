"""`custom_fields.service` (values of cases, runs, defects) on real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.custom_fields import definitions, service
from testament.custom_fields.schemas import CustomFieldCreate
from testament.db import Database
from testament.kit.errors import Invalid
from testament.migrate import upgrade
from testament.projects.schemas import ProjectCreate
from testament.projects.service import create_project
from testament.settings import Settings
from testament.users.service import create_user

# Values are upserted with each dialect's insert-on-conflict, into JSON columns.
pytestmark = pytest.mark.both_backends

OWNER = Actor(
    user_id=1,
    token_id=None,
    role="owner",
    permissions=BUILTIN_ROLE_PERMISSIONS["owner"],
    author_id=None,
)
OPTIONS = [{"title": "One"}, {"title": "Two"}, {"title": "Three"}]


@dataclass
class World:
    database: Database
    project: int  # the project the fields below are enabled in
    other_project: int
    user: int
    fields: dict[str, int]


@pytest.fixture
def world(
    backend: str, tmp_path: Path, database_url_for: Callable[[str], str | None]
) -> Iterator[World]:
    db = Database(Settings(data_dir=tmp_path, database_url=database_url_for(backend)))
    upgrade(db.engine)
    with db.session() as session, session.begin():
        project = create_project(session, None, ProjectCreate(title="Main", code="MAIN"))
        other = create_project(session, None, ProjectCreate(title="Other", code="OTHER"))
        user = create_user(session, None, email="u@example.com", name="U", role_name="member")
        session.flush()
        specs: dict[str, dict[str, Any]] = {
            "number": {"type": 0},
            "string": {"type": 1},
            "select": {"type": 3, "value": OPTIONS},
            "checkbox": {"type": 4},
            "multi": {"type": 6, "value": OPTIONS},
            "url": {"type": 7},
            "user": {"type": 8},
            "datetime": {"type": 9},
            "required": {"type": 1, "is_required": True},
            "required_default": {"type": 3, "value": OPTIONS, "is_required": True},
            "defaulted": {"type": 1, "default_value": "fallback"},
            "run_field": {"type": 1, "entity": 1},
            "elsewhere": {"type": 1, "projects_codes": ["OTHER"]},
            "everywhere": {"type": 1, "projects_codes": [], "is_enabled_for_all_projects": True},
        }
        fields = {}
        for name, spec in specs.items():
            body = {"title": name, "entity": 0, "projects_codes": ["MAIN"], **spec}
            if name == "required_default":
                body["default_value"] = "2"
            fields[name] = definitions.create_field(
                session, OWNER, CustomFieldCreate.model_validate(body)
            ).id
        world = World(db, project.id, other.id, user.id, fields)
    yield world
    db.engine.dispose()


def _check(world: World, values: dict[int, str], *, creating: bool = False) -> dict[int, str]:
    with world.database.session() as session, session.begin():
        return service.check_values(session, world.project, "case", values, creating=creating)


def _refused(world: World, values: dict[int, str], *, creating: bool = False) -> list[str]:
    with pytest.raises(Invalid) as raised:
        _check(world, values, creating=creating)
    assert raised.value.status_code == 422
    return [error.field for error in raised.value.fields]


class Queries:
    def __init__(self, session: Session) -> None:
        self.count = 0
        event.listen(session.get_bind(), "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is not a query
            self.count += 1


class TestCheckValues:
    def test_valid_values_are_answered_normalized(self, world: World) -> None:
        f = world.fields
        given = {
            f["number"]: "42.5",
            f["select"]: "2",
            f["multi"]: "3, 1,3",
            f["checkbox"]: "1",
            f["url"]: "https://example.com/a?b=c",
            f["user"]: str(world.user),
            f["datetime"]: "2026-04-29T15:00:00Z",
            f["string"]: "",
            f["everywhere"]: "anywhere",
        }
        checked = _check(world, given)
        assert checked == {**given, f["multi"]: "3,1"}
        assert list(checked) == sorted(checked)

    def test_a_date_alone_is_a_datetime(self, world: World) -> None:
        assert _check(world, {world.fields["datetime"]: "2026-04-29"})

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("number", "forty"),
            ("number", "1e5"),
            ("string", "x" * 256),
            ("select", "9"),
            ("select", "One"),
            ("select", "1,2"),
            ("multi", "1,9"),
            ("checkbox", "yes"),
            ("url", "example.com"),
            ("url", "https://exa mple.com"),
            ("datetime", "soon"),
            ("user", "someone"),
            ("user", "99999"),
        ],
    )
    def test_a_bad_value_is_422_naming_the_field(self, world: World, name: str, value: str) -> None:
        field_id = world.fields[name]
        assert _refused(world, {field_id: value}) == [f"custom_field[{field_id}]"]

    def test_unknown_other_entity_and_disabled_fields_are_refused(self, world: World) -> None:
        f = world.fields
        bad = {999999: "x", f["run_field"]: "x", f["elsewhere"]: "x"}
        assert _refused(world, bad) == [f"custom_field[{field_id}]" for field_id in bad]

    def test_a_field_is_enabled_only_where_it_is_linked(self, world: World) -> None:
        field_id = world.fields["elsewhere"]
        with world.database.session() as session, session.begin():
            checked = service.check_values(
                session, world.other_project, "case", {field_id: "x"}, creating=False
            )
        assert checked == {field_id: "x"}

    def test_run_fields_are_checked_for_runs(self, world: World) -> None:
        field_id = world.fields["run_field"]
        with world.database.session() as session, session.begin():
            checked = service.check_values(
                session, world.project, "run", {field_id: "v"}, creating=True
            )
        assert checked == {field_id: "v"}

    def test_create_fills_defaults_and_wants_required_fields(self, world: World) -> None:
        f = world.fields
        assert _refused(world, {}, creating=True) == [f"custom_field[{f['required']}]"]
        checked = _check(world, {f["required"]: "here"}, creating=True)
        assert checked == {
            f["required"]: "here",
            f["required_default"]: "2",
            f["defaulted"]: "fallback",
        }

    def test_given_values_win_over_defaults(self, world: World) -> None:
        f = world.fields
        given = {f["required"]: "here", f["defaulted"]: "mine", f["required_default"]: "3"}
        assert _check(world, given, creating=True) == given

    def test_a_required_field_cannot_be_emptied_without_a_default(self, world: World) -> None:
        f = world.fields
        assert _refused(world, {f["required"]: ""}) == [f"custom_field[{f['required']}]"]
        assert _check(world, {f["required_default"]: ""}) == {f["required_default"]: ""}

    def test_update_fills_nothing_in(self, world: World) -> None:
        assert _check(world, {}) == {}
        assert _check(world, {world.fields["string"]: "s"}) == {world.fields["string"]: "s"}

    def test_every_error_is_reported_at_once(self, world: World) -> None:
        f = world.fields
        names = _refused(world, {f["number"]: "x", f["select"]: "x"}, creating=True)
        assert sorted(names) == sorted(
            f"custom_field[{f[n]}]" for n in ("number", "select", "required")
        )

    def test_a_fixed_number_of_queries(self, world: World) -> None:
        f = world.fields
        with world.database.session() as session, session.begin():
            queries = Queries(session)
            given = {f[name]: "1" for name in ("number", "select", "multi", "checkbox")}
            given[f["user"]] = str(world.user)
            given[f["required"]] = "here"
            service.check_values(session, world.project, "case", given, creating=True)
            assert queries.count <= 2

    def test_an_unknown_entity_is_a_programming_error(self, world: World) -> None:
        with world.database.session() as session, pytest.raises(ValueError):
            service.check_values(session, world.project, "suite", {}, creating=True)


class TestWriteAndReadValues:
    def test_values_are_upserted_and_read_back(self, world: World) -> None:
        f = world.fields
        with world.database.session() as session, session.begin():
            service.write_values(session, world.project, "case", 7, {f["select"]: "1"})
            service.write_values(session, world.project, "case", 8, {f["string"]: "eight"})
        with world.database.session() as session, session.begin():
            service.write_values(
                session, world.project, "case", 7, {f["select"]: "2", f["number"]: "5"}
            )
        with world.database.session() as session:
            found = service.read_values(session, "case", [7, 8, 9])
        assert found == {
            7: sorted(
                [{"id": f["select"], "value": "2"}, {"id": f["number"], "value": "5"}],
                key=lambda v: int(v["id"]),
            ),
            8: [{"id": f["string"], "value": "eight"}],
            9: [],
        }

    def test_entities_of_other_kinds_are_apart(self, world: World) -> None:
        field_id = world.fields["run_field"]
        with world.database.session() as session, session.begin():
            service.write_values(session, world.project, "run", 7, {field_id: "run value"})
        with world.database.session() as session:
            assert service.read_values(session, "case", [7]) == {7: []}
            assert service.read_values(session, "run", [7]) == {
                7: [{"id": field_id, "value": "run value"}]
            }

    def test_nothing_to_write_or_read(self, world: World) -> None:
        with world.database.session() as session, session.begin():
            service.write_values(session, world.project, "case", 7, {})
            assert service.read_values(session, "case", []) == {}

    def test_reading_many_entities_is_one_query(self, world: World) -> None:
        field_id = world.fields["string"]
        with world.database.session() as session, session.begin():
            for entity_id in range(1, 31):
                service.write_values(
                    session, world.project, "case", entity_id, {field_id: str(entity_id)}
                )
        with world.database.session() as session:
            queries = Queries(session)
            found = service.read_values(session, "case", range(1, 31))
            assert queries.count == 1
        assert found[30] == [{"id": field_id, "value": "30"}]

    def test_delete_values(self, world: World) -> None:
        field_id = world.fields["string"]
        with world.database.session() as session, session.begin():
            for entity_id in (1, 2):
                service.write_values(session, world.project, "case", entity_id, {field_id: "v"})
            service.delete_values(session, "case", [1])
        with world.database.session() as session:
            found = service.read_values(session, "case", [1, 2])
        assert found == {1: [], 2: [{"id": field_id, "value": "v"}]}

    def test_deleting_a_field_deletes_its_values(self, world: World) -> None:
        field_id = world.fields["string"]
        with world.database.session() as session, session.begin():
            service.write_values(session, world.project, "case", 3, {field_id: "v"})
        with world.database.session() as session, session.begin():
            definitions.delete_field(session, OWNER, field_id)
        with world.database.session() as session:
            assert service.read_values(session, "case", [3]) == {3: []}
