"""Users: created by operators (CLI) or admins, listed and read by everyone with `user.read`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.secrets import hash_password
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.models.identity import Author, Role, User
from testament.users.schemas import USER_ACTIVE, USER_INACTIVE
from testament.users.schemas import User as UserSchema


def list_statement() -> Select[User]:
    return select(User).order_by(User.id)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    return user


def to_schema(user: User) -> UserSchema:
    return UserSchema(
        id=user.id,
        name=user.name,
        email=user.email,
        title=user.title,
        status=USER_ACTIVE if user.is_active else USER_INACTIVE,
    )


def to_schemas(users: Sequence[User]) -> list[UserSchema]:
    return [to_schema(user) for user in users]


def find_role(session: Session, role_name: str) -> Role:
    role = session.scalar(select(Role).where(Role.name == role_name))
    if role is None:
        raise Invalid.field("role", f"Unknown role {role_name!r}.")
    return role


def create_user(
    session: Session,
    actor: Actor | None,
    *,
    email: str,
    name: str,
    role_name: str,
    title: str = "",
    password: str | None = None,
) -> User:
    """Create a user and the author record that credits their work."""
    email = email.strip()
    if "@" not in email:
        raise Invalid.field("email", f"{email!r} is not an email address.")
    if session.scalar(select(User.id).where(func.lower(User.email) == email.lower())) is not None:
        raise Invalid.field("email", f"A user with email {email} already exists.")
    role = find_role(session, role_name)
    user = User(
        email=email,
        name=name,
        title=title,
        role_id=role.id,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    session.add(Author(entity_type="user", entity_id=user.id, name=name, email=email))
    audit.created(session, actor, "user", user.id, changes={"email": email, "role": role_name})
    return user


def find_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise NotFound(f"No user with email {email}.")
    return user
