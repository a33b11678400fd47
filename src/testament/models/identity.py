"""Who acts: roles, users, their API tokens, groups, authors, and who may see which project."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import Base, BigId, IdMixin, TimestampMixin, utcnow


class Role(IdMixin, Base):
    """A named set of permissions. The built-in ones (owner, admin, member, viewer) are seeded."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    # Permission names, e.g. "case.read" or "run.complete"; the table of rules lives in testament.access.
    permissions: Mapped[list[Any]] = mapped_column(default=list)
    is_builtin: Mapped[bool] = mapped_column(default=False)


class User(IdMixin, TimestampMixin, Base):
    """A person with a login. Passwords are argon2 hashes; API tokens act with the user's role."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("roles.id", ondelete="RESTRICT"))
    is_active: Mapped[bool] = mapped_column(default=True)


class ApiToken(IdMixin, Base):
    """An API token. Only a SHA-256 of the secret is kept: tokens are long random strings, so a
    fast hash is safe and lets a request find its token by index; the secret is shown once."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, shown in listings so people can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Per-token override of the deployment's rate limit (requests per minute); None = default.
    rate_limit_per_minute: Mapped[int | None]


class Group(IdMixin, TimestampMixin, Base):
    """A team group: projects may be opened to a group instead of listing every user."""

    __tablename__ = "groups"

    hash: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    title: Mapped[str] = mapped_column(String(255))


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Author(IdMixin, Base):
    """Who is credited with writing something: a user, or an app (an integration acting on its own).

    Qase exposes authors separately from users (`/author`), with a UUID and the deprecated int id.
    """

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id"),)

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid.uuid4()))
    entity_type: Mapped[str] = mapped_column(String(16))  # "user" | "app"
    entity_id: Mapped[int] = mapped_column(BigId)
    name: Mapped[str] = mapped_column(String(255), index=True)
    email: Mapped[str] = mapped_column(String(320), default="")
    is_active: Mapped[bool] = mapped_column(default=True)


class ProjectAccess(IdMixin, Base):
    """A grant of one restricted project to one user or one group (exactly one of the two)."""

    __tablename__ = "project_access"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "group_id"),)

    project_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(IdMixin, Base):
    """One write, appended and never changed. No foreign keys: entries outlive what they describe."""

    __tablename__ = "audit_log"

    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(BigId, index=True)
    token_id: Mapped[int | None] = mapped_column(BigId)
    via: Mapped[str] = mapped_column(String(16))  # "token" | "session" | "cli"
    action: Mapped[str] = mapped_column(
        String(32), index=True
    )  # "create" | "update" | "delete" ...
    entity_type: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[int | None] = mapped_column(BigId, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
