"""The table of rules: which permissions each built-in role holds.

A permission is `<resource>.<action>`. Routes declare the one they need (see `http.deps`, which
refuses names not in `ALL_PERMISSIONS`), and a test walks the route table so no route can be added
without one.
"""

from __future__ import annotations

CONTENT_RESOURCES = (
    "suite",
    "case",
    "shared_step",
    "shared_parameter",
    "milestone",
    "environment",
    "configuration",
    "plan",
    "run",
    "result",
    "defect",
    "review",
    "attachment",
)
CRUD = ("read", "create", "update", "delete")

_content = {f"{resource}.{action}" for resource in CONTENT_RESOURCES for action in CRUD}
_special_member = {"run.complete", "run.public"}
_readable_by_all = {
    "project.read",
    "custom_field.read",
    "system_field.read",
    "user.read",
    "author.read",
}
_admin_only = {
    "project.create",
    "project.update",
    "project.delete",
    "project.grant_access",  # grant or revoke a user's access to a restricted project
    "custom_field.create",
    "custom_field.update",
    "custom_field.delete",
    "user.manage",
    "token.manage",  # other users' tokens; everyone manages their own
    "audit_log.read",
}
_owner_only = {"role.manage"}

ALL_PERMISSIONS: frozenset[str] = frozenset(
    _content | _special_member | _readable_by_all | _admin_only | _owner_only
)

_viewer = frozenset(p for p in _content if p.endswith(".read")) | _readable_by_all
_member = _viewer | _content | _special_member
_admin = _member | _admin_only

BUILTIN_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "owner": _admin | _owner_only,
    "admin": _admin,
    "member": _member,
    "viewer": _viewer,
}
ROLE_NAMES = tuple(BUILTIN_ROLE_PERMISSIONS)

BUILTIN_ROLE_TITLES = {
    "owner": "Owner",
    "admin": "Administrator",
    "member": "Member",
    "viewer": "Viewer",
}

# Roles that see every project, restricted or not.
ALL_PROJECT_ROLES = frozenset({"owner", "admin"})
