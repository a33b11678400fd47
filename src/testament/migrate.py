"""Apply Alembic migrations and make sure the built-in roles exist."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select

from testament.access.permissions import BUILTIN_ROLE_TITLES
from testament.models.identity import Role


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "testament:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return config


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
