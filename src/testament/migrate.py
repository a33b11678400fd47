"""Apply Alembic migrations and make sure the built-in roles exist; tell whether a database's
schema is the one this code expects.

Only `testament db upgrade` and `testament serve` migrate. Every other command opens the
database through `require_current_schema`, which refuses an empty or outdated schema instead of
changing it as a side effect."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select

from testament.access.permissions import BUILTIN_ROLE_TITLES
from testament.kit.errors import TestamentError
from testament.models.identity import Role


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "testament:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return config


class SchemaNotCurrent(TestamentError):
    """The database's schema is not the one this code expects (none yet, or an older one)."""

    status_code = 503


def schema_revisions(engine: Engine) -> tuple[set[str], set[str]]:
    """(the revisions the database is at, the newest revisions this code has)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, heads


def require_current_schema(engine: Engine) -> None:
    """SchemaNotCurrent, naming `testament db upgrade`, unless the schema is the newest."""
    current, heads = schema_revisions(engine)
    if current == heads:
        return
    where = engine.url.render_as_string(hide_password=True)
    state = "has no Testament schema yet" if not current else "has an older schema"
    raise SchemaNotCurrent(
        f"The database {where} {state}: run `testament db upgrade` (with the same "
        "--database-url/--data-dir or settings) first, then this command again."
    )


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision, then seed what the code expects to exist."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Several workers may start at once: one migrates, the others wait, then see it done.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7403521)")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        _seed_roles(connection)


def _seed_roles(connection: object) -> None:
    from sqlalchemy.orm import Session

    with Session(bind=connection) as session:  # type: ignore[arg-type]
        existing = set(session.scalars(select(Role.name)))
        for name, title in BUILTIN_ROLE_TITLES.items():
            if name not in existing:
                # Built-in roles take their permissions from the code's table, not this column.
                session.add(Role(name=name, title=title, permissions=[], is_builtin=True))
        session.flush()
