"""The `testament` command. Heavy imports happen inside commands so `--help` stays fast."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

# Plain help screens: Typer's rich rendering costs ~110 ms of imports, half the 200 ms budget of
# `testament --help`. TYPER_USE_RICH=1 brings it back.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # after the switch above, which Typer reads at import

from testament.cli.api import api_app
from testament.client.upload.cli import junit_upload, upload_app

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
audit_app = typer.Typer(help="Read the audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
group_app = typer.Typer(
    help="Groups of users: projects may be opened to a group.", no_args_is_help=True
)
role_app = typer.Typer(help="Roles: built-in and custom permission sets.", no_args_is_help=True)
app.add_typer(group_app, name="group")
app.add_typer(role_app, name="role")
maintenance_app = typer.Typer(
    help="Maintenance mode: writes get 503 on every app instance (seen within 2 s), reads go on.",
    no_args_is_help=True,
)
app.add_typer(maintenance_app, name="maintenance")
app.add_typer(audit_app, name="audit")
# The API client: its commands are built from the endpoint table only when `api` is used.
app.add_typer(api_app, name="api")
# Result upload: Typer declarations only; the work is imported when a command runs.
app.add_typer(upload_app, name="upload")
app.command(
    "junit-upload",
    help="Same as `testament upload junit`.",
    context_settings={"help_option_names": ["-h", "--help"]},
)(junit_upload)

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


@user_app.command("set-role")
def user_set_role(
    email: Annotated[str, typer.Option(help="Login email of the user.")],
    role: Annotated[str, typer.Option(help="A role's name (`testament role list`).")],
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Give a user another role; their tokens act with it from the next request on."""
    from testament.cli import operator

    operator.user_set_role(email=email, role=role, database_url=database_url, data_dir=data_dir)


@group_app.command("create")
def group_create(
    title: Annotated[str, typer.Option(help="The group's name.")],
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create a group; prints it as JSON, with the `hash` a project's `group` field takes."""
    from testament.cli import operator

    operator.group_create(title=title, database_url=database_url, data_dir=data_dir)


@group_app.command("list")
def group_list(database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None) -> None:
    """List groups with their members as JSON lines."""
    from testament.cli import operator

    operator.group_list(database_url=database_url, data_dir=data_dir)


@group_app.command("add")
def group_add(
    group: Annotated[str, typer.Option(help="The group's hash or title.")],
    email: Annotated[str, typer.Option(help="Login email of the user to add.")],
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add a user to a group (adding twice is not an error)."""
    from testament.cli import operator

    operator.group_membership(
        group=group, email=email, add=True, database_url=database_url, data_dir=data_dir
    )


@group_app.command("remove")
def group_remove(
    group: Annotated[str, typer.Option(help="The group's hash or title.")],
    email: Annotated[str, typer.Option(help="Login email of the user to remove.")],
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Remove a user from a group; projects open to the group are hidden from them at once."""
    from testament.cli import operator

    operator.group_membership(
        group=group, email=email, add=False, database_url=database_url, data_dir=data_dir
    )


@role_app.command("create")
def role_create(
    name: Annotated[str, typer.Option(help="The new role's name, e.g. `qa-lead`.")],
    title: Annotated[str, typer.Option(help="A display title.")] = "",
    permission: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(help="A permission to grant (repeatable), e.g. `case.read`."),
    ] = None,
    like: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Start from this role's permissions, e.g. `viewer`."),
    ] = None,
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create a custom role: another role's permissions (--like) plus the ones given."""
    from testament.cli import operator

    operator.role_create(
        name=name,
        title=title,
        permissions=permission or [],
        like=like,
        database_url=database_url,
        data_dir=data_dir,
    )


@role_app.command("list")
def role_list(database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None) -> None:
    """List roles with their permissions as JSON lines."""
    from testament.cli import operator

    operator.role_list(database_url=database_url, data_dir=data_dir)


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option(help="Email of the user the token acts as.")],
    name: Annotated[str, typer.Option(help="A label to recognise the token by.")] = "cli",
    expires_days: Annotated[
        Optional[int], typer.Option(help="Expire after this many days.", min=1)  # noqa: UP045
    ] = None,
    rate_limit_per_minute: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(help="This token's own requests-per-minute limit (0: none).", min=0),
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
        rate_limit_per_minute=rate_limit_per_minute,
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


@audit_app.command("list")
def audit_list(
    user_id: Annotated[Optional[int], typer.Option(help="Only this user's writes.", min=1)] = None,  # noqa: UP045
    entity_type: Annotated[Optional[str], typer.Option(help="e.g. case, run, api_token.")] = None,  # noqa: UP045
    entity_id: Annotated[Optional[str], typer.Option(help="Id of the entity.")] = None,  # noqa: UP045
    action: Annotated[Optional[str], typer.Option(help="e.g. create, update, delete.")] = None,  # noqa: UP045
    project: Annotated[Optional[str], typer.Option(help="A project code.")] = None,  # noqa: UP045
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="From this time on: ISO-8601 (naive means UTC) or unix seconds."),
    ] = None,
    until: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Up to this time: ISO-8601 (naive means UTC) or unix seconds."),
    ] = None,
    limit: Annotated[
        int, typer.Option(help="Show the newest N entries.", min=1, max=1_000_000)
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """List audit log entries (every write: who, what, when, from where), newest first."""
    from testament.cli import audit

    audit.audit_list(
        filters={
            "user_id": user_id,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "action": action,
            "project": project,
        },
        since=since,
        until=until,
        limit=limit,
        as_json=as_json,
        database_url=database_url,
        data_dir=data_dir,
    )


@maintenance_app.command("on")
def maintenance_on(
    message: Annotated[str, typer.Option(help="Told to clients while writes are paused.")] = "",
    retry_after: Annotated[
        int, typer.Option(help="Seconds clients are told to wait (Retry-After).", min=1)
    ] = 300,
    database_url: DatabaseUrlOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Pause writes on every app instance (503 with Retry-After); reads go on. Prints the state."""
    from testament.cli import operator

    operator.maintenance(
        switch="on",
        message=message,
        retry_after=retry_after,
        database_url=database_url,
        data_dir=data_dir,
    )


@maintenance_app.command("off")
def maintenance_off(database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None) -> None:
    """Let writes through again. Prints the state."""
    from testament.cli import operator

    operator.maintenance(
        switch="off", message="", retry_after=0, database_url=database_url, data_dir=data_dir
    )


@maintenance_app.command("status")
def maintenance_status(
    database_url: DatabaseUrlOption = None, data_dir: DataDirOption = None
) -> None:
    """Print whether maintenance mode is on, as JSON."""
    from testament.cli import operator

    operator.maintenance(
        switch="status", message="", retry_after=0, database_url=database_url, data_dir=data_dir
    )


# --- Case import and export (client commands: they talk to a server over HTTP) ---------------

import_app = typer.Typer(
    help="Import into a project over the API: cases from CSV.", no_args_is_help=True
)
export_app = typer.Typer(
    help="Export from a project over the API: cases as CSV or JSON.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

ClientUrlOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--url", help="Server URL (else TESTAMENT_URL, .testament.toml, user config)."),
]
ClientTokenOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--token", help="API token (else TESTAMENT_TOKEN or QASE_TESTOPS_API_TOKEN)."),
]
ProjectCodeOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--project", help="Project code (else TESTAMENT_PROJECT, .testament.toml)."),
]


class CaseImportFormat(StrEnum):
    csv = "csv"


class CaseExportFormat(StrEnum):
    csv = "csv"
    json = "json"


class CaseMatch(StrEnum):
    by_id = "id"
    by_title = "title"


class SummaryFormat(StrEnum):
    text = "text"
    json = "json"


@import_app.command("cases")
def import_cases(
    file: Annotated[str, typer.Argument(help="The CSV file (`-` reads stdin).")],
    format: Annotated[
        CaseImportFormat, typer.Option("--format", help="File format.")
    ] = CaseImportFormat.csv,
    project: ProjectCodeOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show what would change; write nothing.")
    ] = False,
    match: Annotated[
        CaseMatch,
        typer.Option(
            help="id: a row's id column, else its suite path and title; title: suite path and "
            "title only (for a file from another project)."
        ),
    ] = CaseMatch.by_id,
    batch_size: Annotated[
        int, typer.Option(help="Cases per bulk request (smaller on a 413).", min=1)
    ] = 500,
    output: Annotated[
        SummaryFormat, typer.Option("--output", help="json: the summary on stdout too.")
    ] = SummaryFormat.text,
    url: ClientUrlOption = None,
    token: ClientTokenOption = None,
) -> None:
    """Create and update a project's cases from a CSV file (Qase's CSV export works too).

    Rows match cases by the id column, else by suite path and title: importing a file twice
    changes nothing the second time.

    The whole file is checked before anything is written; errors name the row and column.

    Example: testament import cases --format csv cases.csv --project DEMO --dry-run
    """
    from testament.client.cases_io import command

    raise typer.Exit(
        command.import_cases(
            file=file,
            project=project,
            url=url,
            token=token,
            dry_run=dry_run,
            match=match.value,
            batch_size=batch_size,
            output_json=output is SummaryFormat.json,
        )
    )


@export_app.command("cases")
def export_cases(
    format: Annotated[
        CaseExportFormat,
        typer.Option(
            "--format", help="csv: the columns `import cases` reads; json: the API's case objects."
        ),
    ] = CaseExportFormat.csv,
    project: ProjectCodeOption = None,
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to this file (default: stdout)."),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start the CSV with a BOM, for Excel.")
    ] = False,
    url: ClientUrlOption = None,
    token: ClientTokenOption = None,
) -> None:
    """Write every case of a project as CSV (the columns `import cases` reads) or JSON.

    Example: testament export cases --format csv --project DEMO --output cases.csv
    """
    from testament.client.cases_io import command

    raise typer.Exit(
        command.export_cases(
            fmt=format.value, project=project, url=url, token=token, output=output, bom=bom
        )
    )


def run() -> None:
    app()
