"""API tokens: issue (the secret is returned once), authenticate, list, revoke."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.permissions import BUILTIN_ROLE_PERMISSIONS
from testament.access.secrets import hash_token, new_token_secret
from testament.kit import audit
from testament.kit.errors import NotFound, Unauthorized
from testament.models.identity import ApiToken, Author, Role, User

# last_used_at is refreshed at most this often, so reads do not turn into writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def issue_token(
    session: Session,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    actor: Actor | None = None,
    rate_limit_per_minute: int | None = None,
) -> IssuedToken:
    secret = new_token_secret()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        expires_at=expires_at,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    session.add(token)
    session.flush()
    audit.created(
        session,
        actor,
        "api_token",
        token.id,
        changes={
            "user_id": user.id,
            "name": name,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "rate_limit_per_minute": rate_limit_per_minute,
        },
    )
    return IssuedToken(token=token, secret=secret)


def list_tokens(session: Session, user_id: int | None = None) -> Sequence[ApiToken]:
    statement = select(ApiToken).order_by(ApiToken.id)
    if user_id is not None:
        statement = statement.where(ApiToken.user_id == user_id)
    return session.scalars(statement).all()


def revoke_token(session: Session, token_id: int, actor: Actor | None = None) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"Token {token_id} not found.")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        audit.event(
            session,
            actor,
            "revoke",
            "api_token",
            token.id,
            changes={"user_id": token.user_id, "name": token.name, "prefix": token.prefix},
        )
    return token


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def role_permissions(role: Role) -> frozenset[str]:
    if role.is_builtin and role.name in BUILTIN_ROLE_PERMISSIONS:
        return BUILTIN_ROLE_PERMISSIONS[role.name]
    return frozenset(str(p) for p in role.permissions)


def authenticate(session: Session, secret: str | None) -> tuple[Actor, datetime | None]:
    """Resolve a `Token` header to an actor; 401 for missing, unknown, revoked or expired tokens.

    Also returns the token's last-use time, so the caller can decide whether to refresh it.
    """
    if not secret:
        raise Unauthorized("Unauthenticated: the `Token` header is missing.")
    row = session.execute(
        select(ApiToken, User, Role, Author.id)
        .join(User, User.id == ApiToken.user_id)
        .join(Role, Role.id == User.role_id)
        .outerjoin(Author, (Author.entity_type == "user") & (Author.entity_id == User.id))
        .where(ApiToken.token_hash == hash_token(secret))
    ).first()
    if row is None:
        raise Unauthorized("Unauthenticated: the API token is not valid.")
    token, user, role, author_id = row
    now = datetime.now(UTC)
    if token.revoked_at is not None:
        raise Unauthorized("Unauthenticated: the API token was revoked.")
    if token.expires_at is not None and _aware(token.expires_at) <= now:
        raise Unauthorized("Unauthenticated: the API token has expired.")
    if not user.is_active:
        raise Unauthorized("Unauthenticated: the token's user is deactivated.")
    actor = Actor(
        user_id=user.id,
        token_id=token.id,
        role=role.name,
        permissions=role_permissions(role),
        author_id=author_id,
        rate_limit_per_minute=token.rate_limit_per_minute,
    )
    return actor, token.last_used_at


def needs_last_used_refresh(last_used_at: datetime | None) -> bool:
    return last_used_at is None or datetime.now(UTC) - _aware(last_used_at) > LAST_USED_RESOLUTION


def touch_token(session: Session, token_id: int) -> None:
    session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=datetime.now(UTC))
    )
