"""The `testament` command. Heavy imports happen inside commands so `--help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="testament",
    help="Testament: self-hosted test case management, wire-compatible with the Qase API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

DatabaseUrlOption = Annotated[
    Optional[str],  # noqa: UP045 - Typer reads these annotations at runtime
    typer.Option("--database-url", envvar="TESTAMENT_DATABASE_URL", help="SQLAlchemy URL."),
]
DataDirOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--data-dir", envvar="TESTAMENT_DATA_DIR", help="Data folder."),
]


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Address to listen on.")] = None,  # noqa: UP045
    port: Annotated[Optional[int], typer.Option(help="Port to listen on.")] = None,  # noqa: UP045
    workers: Annotated[Optional[int], typer.Option(help="Worker processes.")] = None,  # noqa: UP045
    tls_cert: Annotated[Optional[Path], typer.Option(help="PEM certificate: serve HTTPS.")] = None,  # noqa: UP045
    tls_key: Annotated[Optional[Path], typer.Option(help="PEM private key.")] = None,  # noqa: UP045
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
    root_token: Annotated[
        bool, typer.Option("--root-token", help="Mint and print a fresh owner token at start.")
    ] = False,
) -> None:
    """Migrate the database and serve the API (HTTPS with --tls-cert/--tls-key).

    On an empty database an owner account is created and its token printed.
    """
    from testament.cli import operator

    operator.serve(
        host=host,
        port=port,
        workers=workers,
        tls_cert=tls_cert,
        tls_key=tls_key,
        database_url=database_url,
        data_dir=data_dir,
        root_token=root_token,
    )


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None) -> None:
    """Apply all database migrations."""
    from testament.cli import operator

    operator.db_upgrade(database_url=database_url, data_dir=data_dir)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Login email, unique.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[str, typer.Option(help="owner, admin, member or viewer.")] = "member",
    token: Annotated[
        bool, typer.Option("--token", help="Also mint an API token and print it.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a password for the web UI from stdin.")
    ] = False,
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create a user. With --token, the new token is the only thing on stdout."""
    from testament.cli import operator

    operator.user_create(
        email=email,
        name=name,
        role=role,
        with_token=token,
        password_stdin=password_stdin,
        database_url=database_url,
        data_dir=data_dir,
    )


@user_app.command("list")
def user_list(database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None) -> None:
    """List users as JSON lines."""
    from testament.cli import operator

    operator.user_list(database_url=database_url, data_dir=data_dir)


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option(help="Email of the user the token acts as.")],
    name: Annotated[str, typer.Option(help="A label to recognise the token by.")] = "cli",
    expires_days: Annotated[
        Optional[int], typer.Option(help="Expire after this many days.", min=1)  # noqa: UP045
    ] = None,
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Mint an API token for a user; the secret is printed once, on stdout."""
    from testament.cli import operator

    operator.token_create(
        email=email,
        name=name,
        expires_days=expires_days,
        database_url=database_url,
        data_dir=data_dir,
    )


@token_app.command("list")
def token_list(
    email: Annotated[Optional[str], typer.Option(help="Only this user's tokens.")] = None,  # noqa: UP045
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List tokens as JSON lines (never the secrets)."""
    from testament.cli import operator

    operator.token_list(email=email, database_url=database_url, data_dir=data_dir)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="Id from `testament token list`.")],
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Revoke a token; it is refused at once."""
    from testament.cli import operator

    operator.token_revoke(token_id=token_id, database_url=database_url, data_dir=data_dir)


def run() -> None:
    app()
