"""Values that belong to the whole installation and must be the same on every app instance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from testament.models.base import Base, utcnow


class InstanceSecret(Base):
    """A random value created on first use: a signing key, or the installation's team id.

    Never shown through the API as is (the team id is the one value meant to be public).
    """

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InstanceState(Base):
    """A switch every app instance must see at once, such as maintenance mode."""

    __tablename__ = "instance_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
