"""The authenticated caller of a request."""

from __future__ import annotations

from dataclasses import dataclass

from testament.access.permissions import ALL_PROJECT_ROLES


@dataclass(frozen=True)
class Actor:
    user_id: int
    token_id: int | None
    role: str
    permissions: frozenset[str]
    author_id: int | None
    remote_addr: str | None = None  # where this request came from, for the audit log
    rate_limit_per_minute: int | None = None  # the token's own limit; None: the deployment's

    @property
    def sees_all_projects(self) -> bool:
        return self.role in ALL_PROJECT_ROLES

    def can(self, permission: str) -> bool:
        return permission in self.permissions
