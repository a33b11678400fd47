"""Per-project numbering under concurrent writers, on real SQLite and PostgreSQL databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from testament.db import Database
from testament.kit.numbering import next_project_number, next_project_numbers
from testament.migrate import upgrade
from testament.models.project import Project
from testament.projects.schemas import ProjectCreate
from testament.projects.service import create_project
from testament.settings import Settings

# Numbering: UPDATE ... RETURNING and insert-or-ignore under concurrent writers.
pytestmark = pytest.mark.both_backends


@pytest.fixture
def database(
    backend: str, tmp_path: Path, database_url_for: Callable[[str], str | None]
) -> Iterator[Database]:
    url = database_url_for(backend)
    db = Database(Settings(data_dir=tmp_path, database_url=url))
    upgrade(db.engine)
    yield db
    db.engine.dispose()


def _project(database: Database, code: str) -> int:
    with database.session() as session, session.begin():
        project: Project = create_project(session, None, ProjectCreate(title=code, code=code))
        return project.id


def test_numbers_are_per_project(database: Database) -> None:
    first, second = _project(database, "FIRST"), _project(database, "SECOND")
    with database.session() as session, session.begin():
        assert next_project_number(session, first, "case") == 1
        assert next_project_number(session, first, "case") == 2
        assert next_project_number(session, second, "case") == 1
        assert next_project_number(session, first, "suite") == 1
        assert list(next_project_numbers(session, first, "case", 3)) == [3, 4, 5]


def test_a_kind_without_a_counter_row_starts_at_one(database: Database) -> None:
    project_id = _project(database, "NEWKIND")
    with database.session() as session, session.begin():
        assert next_project_number(session, project_id, "something_new") == 1
        assert next_project_number(session, project_id, "something_new") == 2


def test_concurrent_writers_get_distinct_numbers(database: Database) -> None:
    project_id = _project(database, "RACE")

    def take() -> int:
        with database.session() as session, session.begin():
            return next_project_number(session, project_id, "case")

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda _: take(), range(80)))
    assert sorted(numbers) == list(range(1, 81))


def test_a_rolled_back_transaction_gives_its_number_back(database: Database) -> None:
    project_id = _project(database, "ROLLBACK")
    with database.session() as session:
        session.begin()
        assert next_project_number(session, project_id, "run") == 1
        session.rollback()
    with database.session() as session, session.begin():
        assert next_project_number(session, project_id, "run") == 1


def test_concurrent_first_numbers_of_a_new_kind(database: Database) -> None:
    """A kind with no counter row yet: racing first writers must still get 1..N."""
    project_id = _project(database, "NEWRACE")

    def take() -> int:
        with database.session() as session, session.begin():
            return next_project_number(session, project_id, "late_kind")

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda _: take(), range(16)))
    assert sorted(numbers) == list(range(1, 17))
