"""Operator commands: they work on the database directly, with the server's settings."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testament.access import tokens
from testament.db import Database
from testament.kit import audit
from testament.kit.errors import TestamentError
from testament.migrate import require_current_schema, upgrade
from testament.models.identity import ApiToken, Group, Role, User
from testament.settings import Settings
from testament.users import service as users
from testament.users import teams
from testament.work import unit_of_work

ROOT_EMAIL = "admin@localhost"


def _settings(**overrides: Any) -> Settings:
    return Settings(**{key: value for key, value in overrides.items() if value is not None})


def _print_json(value: dict[str, Any]) -> None:
    typer.echo(json.dumps(value, default=str))


@contextmanager
def _session(database_url: str | None, data_dir: Path | None) -> Iterator[Session]:
    """One unit of work on a database whose schema is current (never migrated here: only `db
    upgrade` and `serve` migrate); errors become a message on stderr and exit 1."""
    database = Database(_settings(database_url=database_url, data_dir=data_dir))
    try:
        require_current_schema(database.engine)
        with unit_of_work(database) as (session, _):
            yield session
    except TestamentError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        database.engine.dispose()


def db_upgrade(*, database_url: str | None, data_dir: Path | None) -> None:
    database = Database(_settings(database_url=database_url, data_dir=data_dir))
    try:
        upgrade(database.engine)
    finally:
        database.engine.dispose()
    typer.echo("database is up to date", err=True)


def user_create(
    *,
    email: str,
    name: str,
    role: str,
    with_token: bool,
    password_stdin: bool,
    database_url: str | None,
    data_dir: Path | None,
) -> None:
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _session(database_url, data_dir) as session:
        user = users.create_user(
            session, None, email=email, name=name, role_name=role, password=password
        )
        issued = tokens.issue_token(session, user, "cli") if with_token else None
    if issued:
        typer.echo(issued.secret)
    else:
        _print_json({"id": user.id, "email": user.email, "name": user.name, "role": role})


def user_list(*, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        rows = session.execute(
            select(User, Role.name).join(Role, Role.id == User.role_id).order_by(User.id)
        ).all()
        for user, role in rows:
            _print_json(
                {
                    "id": user.id,
                    "email": user.email,
                    "name": user.name,
                    "role": role,
                    "active": user.is_active,
                }
            )


def token_create(
    *,
    email: str,
    name: str,
    expires_days: int | None,
    rate_limit_per_minute: int | None,
    database_url: str | None,
    data_dir: Path | None,
) -> None:
    expires_at = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    with _session(database_url, data_dir) as session:
        user = users.find_by_email(session, email)
        issued = tokens.issue_token(
            session, user, name, expires_at, rate_limit_per_minute=rate_limit_per_minute
        )
    typer.echo(issued.secret)


def _token_json(token: ApiToken, email: str) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "user": email,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "rate_limit_per_minute": token.rate_limit_per_minute,
    }


def token_list(*, email: str | None, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        statement = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
        if email:
            statement = statement.where(func.lower(User.email) == email.lower())
        for token, user_email in session.execute(statement.order_by(ApiToken.id)).all():
            _print_json(_token_json(token, user_email))


def token_revoke(*, token_id: int, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        token = tokens.revoke_token(session, token_id)
        email = session.scalar(select(User.email).where(User.id == token.user_id)) or ""
        _print_json(_token_json(token, email))


def user_set_role(
    *, email: str, role: str, database_url: str | None, data_dir: Path | None
) -> None:
    with _session(database_url, data_dir) as session:
        user = users.find_by_email(session, email)
        found = users.find_role(session, role)
        if user.role_id != found.id:
            user.role_id = found.id
            audit.updated(session, None, "user", user.id, changes={"role": role})
    _print_json({"id": user.id, "email": user.email, "role": role})


def group_create(*, title: str, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        group = teams.create_group(session, title)
        _print_json({"hash": group.hash, "title": group.title, "members": []})


def group_list(*, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        for group in session.scalars(select(Group).order_by(Group.id)).all():
            members = list(teams.group_members(session, group))
            _print_json({"hash": group.hash, "title": group.title, "members": members})


def group_membership(
    *, group: str, email: str, add: bool, database_url: str | None, data_dir: Path | None
) -> None:
    with _session(database_url, data_dir) as session:
        found = teams.find_group(session, group)
        if add:
            teams.add_member(session, found, email)
        else:
            teams.remove_member(session, found, email)
        members = list(teams.group_members(session, found))
        _print_json({"hash": found.hash, "title": found.title, "members": members})


def role_create(
    *,
    name: str,
    title: str,
    permissions: list[str],
    like: str | None,
    database_url: str | None,
    data_dir: Path | None,
) -> None:
    with _session(database_url, data_dir) as session:
        role = teams.create_role(session, name, title, permissions, like)
        _print_json({"name": role.name, "title": role.title, "permissions": role.permissions})


def role_list(*, database_url: str | None, data_dir: Path | None) -> None:
    with _session(database_url, data_dir) as session:
        for role, permissions in teams.list_roles(session):
            _print_json(
                {
                    "name": role.name,
                    "title": role.title,
                    "builtin": role.is_builtin,
                    "permissions": permissions,
                }
            )


def maintenance(
    *,
    switch: str,
    message: str,
    retry_after: int,
    database_url: str | None,
    data_dir: Path | None,
) -> None:
    """`on`, `off` or `status`: prints the state as JSON."""
    from testament import maintenance as mode

    with _session(database_url, data_dir) as session:
        if switch == "status":
            state = mode.read_state(session)
        else:
            state = mode.write_state(session, switch == "on", message, retry_after)
            audit.event(
                session,
                None,
                "maintenance_on" if switch == "on" else "maintenance_off",
                "instance",
                mode.STATE_NAME,
                changes=state.as_json(),
            )
    _print_json(state.as_json())


def bootstrap_owner(session: Session, *, fresh_token: bool) -> str | None:
    """On an empty database create the first owner; return a token to print, if any."""
    owner = session.scalar(select(User).order_by(User.id).limit(1))
    if owner is None:
        owner = users.create_user(
            session, None, email=ROOT_EMAIL, name="Administrator", role_name="owner"
        )
        return tokens.issue_token(session, owner, "first start").secret
    if fresh_token:
        first_owner = session.scalar(
            select(User)
            .join(Role, Role.id == User.role_id)
            .where(Role.name == "owner", User.is_active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
        if first_owner is None:
            raise TestamentError("No active owner to mint a token for.")
        return tokens.issue_token(session, first_owner, "serve --root-token").secret
    return None


def serve(
    *,
    host: str | None,
    port: int | None,
    workers: int | None,
    tls_cert: Path | None,
    tls_key: Path | None,
    database_url: str | None,
    data_dir: Path | None,
    root_token: bool,
) -> None:
    import uvicorn

    from testament.http.protocol import PROTOCOL as HEAD_LIMITED_PROTOCOL

    settings = _settings(
        host=host,
        port=port,
        workers=workers,
        tls_cert=tls_cert,
        tls_key=tls_key,
        database_url=database_url,
        data_dir=data_dir,
    )
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise typer.Exit(_fail_code("--tls-cert and --tls-key go together."))
    settings.ensure_dirs()
    database = Database(settings)
    try:
        upgrade(database.engine)
        with unit_of_work(database) as (session, _):
            secret = bootstrap_owner(session, fresh_token=root_token)
    finally:
        database.engine.dispose()

    # Workers build their app from the environment: hand them exactly these settings.
    os.environ.update(_settings_env(settings))
    scheme = "https" if settings.tls_cert else "http"
    url = settings.public_url or f"{scheme}://{_display_host(settings.host)}:{settings.port}"
    typer.echo(f"Testament is serving at {url}  (API: {url}/v1)")
    if secret:
        typer.echo(f"Admin token: {secret}")
    sys.stdout.flush()
    uvicorn.run(
        "testament.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        ssl_certfile=str(settings.tls_cert) if settings.tls_cert else None,
        ssl_keyfile=str(settings.tls_key) if settings.tls_key else None,
        log_level=settings.log_level,
        proxy_headers=False,
        # Bounds request heads in size and time (`max_header_bytes`, `header_timeout_seconds`).
        http=HEAD_LIMITED_PROTOCOL,
    )


def _fail_code(message: str) -> int:
    typer.echo(f"error: {message}", err=True)
    return 1


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)


def _settings_env(settings: Settings) -> dict[str, str]:
    env = {}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"TESTAMENT_{name.upper()}"] = str(value)
    env["TESTAMENT_DATA_DIR"] = str(settings.data_dir.resolve())
    env["TESTAMENT_DATABASE_URL"] = settings.effective_database_url
    return env
