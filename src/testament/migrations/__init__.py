"""Alembic migrations; `testament.migrate.upgrade` runs them."""
