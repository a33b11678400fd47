"""A real PostgreSQL for the tests: TESTAMENT_TEST_DATABASE_URL if set, else one we start.

We start PyPI's `pgserver` (a bundled PostgreSQL, no system install) in a temporary folder, and
give each live server its own fresh database inside it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url


class PostgresForTests:
    def __init__(self, root: Path) -> None:
        self._server: Any = None
        self._root = root
        self._admin_url = os.environ.get("TESTAMENT_TEST_DATABASE_URL")

    def _admin(self) -> str:
        if self._admin_url is None:
            import pgserver

            self._server = pgserver.get_server(self._root, cleanup_mode="stop")
            self._admin_url = self._server.get_uri()
        return self._admin_url

    def fresh_database_url(self) -> str:
        """Create an empty database and return its SQLAlchemy URL (psycopg 3)."""
        admin = make_url(self._admin())
        name = f"testament_{uuid.uuid4().hex[:12]}"
        libpq = admin.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return admin.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
