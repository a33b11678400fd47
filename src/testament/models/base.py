"""Declarative base, naming convention and the column mixins every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Constraint names must be deterministic so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an `INTEGER PRIMARY KEY`; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class IdMixin:
    """A global surrogate key. Public, per-project ids live in `number` (see ProjectNumberedMixin)."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProjectScopedMixin:
    """Every project-scoped row carries `project_id`, so data can later be distributed by project."""

    @declared_attr
    def project_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr receives the class
        return mapped_column(
            BigId, ForeignKey("projects.id", ondelete="CASCADE"), index=True, nullable=False
        )


class ProjectNumberedMixin(ProjectScopedMixin):
    """The id a client sees (`case 12`) is `number`, unique within the project.

    Tables using it must declare `UniqueConstraint("project_id", "number")` in `__table_args__`;
    numbers are handed out by `testament.kit.numbering.next_project_number`.
    """

    number: Mapped[int] = mapped_column(Integer, nullable=False)


TITLE_LENGTH = 255


HASH_LENGTH = 64


def author_fk() -> Mapped[int | None]:
    """A nullable reference to the author who made or last changed a row."""
    return mapped_column(BigId, ForeignKey("authors.id", ondelete="SET NULL"), index=True)


def project_fk(*, primary_key: bool = False) -> Mapped[int]:
    """`project_id` for link tables whose primary key includes it (the mixin's cannot be a key)."""
    return mapped_column(
        BigId,
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=primary_key,
        index=True,
        nullable=False,
    )
