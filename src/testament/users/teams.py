"""Groups of users (projects may be opened to a group) and custom roles (named permission sets).

Both are managed by operators from the command line; the Qase API has no endpoints for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.access.permissions import ALL_PERMISSIONS, BUILTIN_ROLE_PERMISSIONS
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.models.identity import Group, GroupMember, Role, User
from testament.users.service import find_by_email, find_role


def create_group(session: Session, title: str) -> Group:
    if not title.strip():
        raise Invalid.field("title", "A group needs a title.")
    group = Group(title=title.strip())
    session.add(group)
    session.flush()
    audit.created(session, None, "group", group.hash, changes={"title": group.title})
    return group


def find_group(session: Session, hash_or_title: str) -> Group:
    group = session.scalar(select(Group).where(Group.hash == hash_or_title)) or session.scalar(
        select(Group).where(Group.title == hash_or_title)
    )
    if group is None:
        raise NotFound(f"Group {hash_or_title!r} not found (give its hash or title).")
    return group


def add_member(session: Session, group: Group, email: str) -> User:
    user = find_by_email(session, email)
    present = session.get(GroupMember, (group.id, user.id))
    if present is None:
        session.add(GroupMember(group_id=group.id, user_id=user.id))
        audit.event(session, None, "add_member", "group", group.hash, changes={"user_id": user.id})
    return user


def remove_member(session: Session, group: Group, email: str) -> User:
    user = find_by_email(session, email)
    removed = session.execute(
        delete(GroupMember).where(GroupMember.group_id == group.id, GroupMember.user_id == user.id)
    )
    if removed.rowcount:  # type: ignore[attr-defined]
        audit.event(
            session, None, "remove_member", "group", group.hash, changes={"user_id": user.id}
        )
    return user


def group_members(session: Session, group: Group) -> Sequence[str]:
    return session.scalars(
        select(User.email)
        .join(GroupMember, GroupMember.user_id == User.id)
        .where(GroupMember.group_id == group.id)
        .order_by(User.email)
    ).all()


def create_role(
    session: Session, name: str, title: str, permissions: Sequence[str], like: str | None
) -> Role:
    """A custom role: the permissions of `like` (a role's name), plus `permissions`."""
    name = name.strip().lower()
    if not name or name in BUILTIN_ROLE_PERMISSIONS:
        raise Invalid.field("name", f"{name!r} is empty or a built-in role's name.")
    if session.scalar(select(Role.id).where(Role.name == name)) is not None:
        raise Invalid.field("name", f"Role {name!r} already exists.")
    unknown = sorted(set(permissions) - ALL_PERMISSIONS)
    if unknown:
        raise Invalid.field(
            "permission", f"Unknown permissions {unknown}; known: {sorted(ALL_PERMISSIONS)}."
        )
    granted = set(permissions)
    if like is not None:
        base = find_role(session, like)
        granted |= set(BUILTIN_ROLE_PERMISSIONS[base.name] if base.is_builtin else base.permissions)
    role = Role(name=name, title=title or name, permissions=sorted(granted), is_builtin=False)
    session.add(role)
    session.flush()
    audit.created(session, None, "role", name, changes={"permissions": role.permissions})
    return role


def list_roles(session: Session) -> list[tuple[Role, list[str]]]:
    """Every role with its effective permissions."""
    roles = session.scalars(select(Role).order_by(Role.id)).all()
    return [
        (
            role,
            sorted(
                BUILTIN_ROLE_PERMISSIONS[role.name]
                if role.is_builtin and role.name in BUILTIN_ROLE_PERMISSIONS
                else role.permissions
            ),
        )
        for role in roles
    ]
