"""Models and migrations agree: a migrated database has exactly the tables and columns the models
describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from testament.db import Database
from testament.migrate import upgrade
from testament.models import Base
from testament.settings import Settings

# Migrations run on each dialect.
pytestmark = pytest.mark.both_backends


def test_migrated_schema_matches_the_models(
    backend: str, tmp_path: Path, database_url_for: Callable[[str], str | None]
) -> None:
    database = Database(Settings(data_dir=tmp_path, database_url=database_url_for(backend)))
    try:
        upgrade(database.engine)
        upgrade(database.engine)  # idempotent
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        database.engine.dispose()
