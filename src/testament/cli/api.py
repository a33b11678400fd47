"""`testament api <resource> <action>`: a command for every API operation.

The commands are not written out here: each is built from its row of the endpoint table
(`client/operations.py`, generated from the server's OpenAPI document) the first time it is
needed, so `testament --help` never loads the table and `testament api cases get` builds one
command. Requests, bodies and output live in `client/api_call.py`; this module only turns rows
into Typer commands.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Iterator, MutableMapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command

    from testament.client.api_call import PreparedRequest
    from testament.client.composite import Composite
    from testament.client.http import ApiClient
    from testament.client.spec import Operation, Param

HELP_OPTIONS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
CONNECTION_KEY = "testament.api.connection"  # in ctx.meta: the group's --url/--token/--project
EXIT_FAILURE = 1
EXIT_CODES = (
    "Exit status: 0 done; 1 refused by the server or not reachable (why on stderr); 2 usage error."
)

RESOURCE_HELP = {
    "tags": "The distinct tags of a project's cases.",
    "audit-log": "The audit log: every write, who, what and when.",
}


class LazyCommands(MutableMapping[str, "Command"]):
    """Command names read when first asked for; each command built on first use."""

    def __init__(self, names: Callable[[], list[str]], build: Callable[[str], Command]) -> None:
        self._read_names = names
        self._names: list[str] | None = None
        self._build = build
        self._built: dict[str, Command] = {}

    @property
    def names(self) -> list[str]:
        if self._names is None:
            self._names = list(self._read_names())
        return self._names

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in self.names:
                raise KeyError(name)
            self._built[name] = self._build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self.names:
            self.names.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self.names.remove(name)
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class ApiGroup(TyperGroup):
    """`testament api`: one subgroup per resource of the table."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(lambda: list(_by_resource()), _resource_group)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)


class ResourceGroup(TyperGroup):
    """`testament api <resource>`: one command per operation of the resource."""

    def __init__(self, resource: str, **attrs: Any) -> None:
        super().__init__(name=resource, **attrs)
        self.commands = LazyCommands(
            lambda: list(_by_resource()[resource]), lambda action: _command(resource, action)
        )

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)


@cache
def _by_resource() -> dict[str, dict[str, tuple[Operation, Composite | None]]]:
    """Resource -> action -> (row, composite or None), in table order."""
    from testament.client.composite import composites
    from testament.client.operations import OPERATIONS

    table: dict[str, dict[str, tuple[Operation, Composite | None]]] = {}
    for op in OPERATIONS:
        table.setdefault(op.resource, {})[op.action] = (op, None)
    for composite in composites(OPERATIONS):
        op = composite.operation
        table.setdefault(op.resource, {})[op.action] = (op, composite)
    return table


def _resource_group(resource: str) -> Command:
    actions = _by_resource()[resource]
    help_text = RESOURCE_HELP.get(resource) or (
        f"{resource.replace('-', ' ').capitalize()}: {', '.join(actions)}."
    )
    return ResourceGroup(
        resource, help=help_text, no_args_is_help=True, context_settings=dict(HELP_OPTIONS)
    )


def _command(resource: str, action: str) -> Command:
    op, composite = _by_resource()[resource][action]
    return build_command(op, composite)


# Building one command from a row ---------------------------------------------------------------


def _escape(text: str) -> str:
    """Text shown as is by Rich's markup (`filters[search]` is not a style tag)."""
    return re.sub(r"(\\*)(\[[a-z#/@][^[]*?])", r"\1\1\\\2", text)


def metavar(param: Param) -> str:
    if param.flag == "--project-code":
        return "CODE"
    if param.choices:
        return "|".join(param.choices) if len(param.choices) <= 4 else "TEXT"
    if param.kind == "array":
        return "JSON|A,B" if param.items in ("string", "integer", "number") else "JSON"
    if param.kind == "object":
        return "JSON"
    if param.kind == "any":
        return "VALUE"
    if param.name in ("id", "run_id") or param.flag == "--run-id":
        return "ID"
    if param.name == "hash":
        return "HASH"
    return {"integer": "INTEGER", "number": "NUMBER"}.get(param.kind, "TEXT")


def signature(op: Operation) -> str:
    """`testament api results create [--project-code CODE] --run-id ID --status TEXT [OPTIONS]`."""
    words = [f"testament api {op.resource} {op.action}"]
    for param in op.path_params:
        token = f"{param.flag} {metavar(param)}"
        words.append(f"[{token}]" if param.default_from else token)
    for param in op.query_params + op.body_fields:
        if param.required:
            words.append(
                param.flag if param.kind == "boolean" else f"{param.flag} {metavar(param)}"
            )
    words.append("[OPTIONS]")
    return " ".join(words)


def help_text(op: Operation, calls: str) -> str:
    parts = [
        op.description or op.summary,
        f"Calls: {calls}",
        f"Signature: {signature(op)}",
        f"Example: {op.example}",
    ]
    return _escape("\n\n".join(parts))


def epilog(op: Operation) -> str:
    notes = ["Prints the answer's `result` as JSON on stdout."]
    if op.paging:
        notes.append("With --all, every page, printed as one JSON list.")
    if op.body == "json":
        notes.append(
            "The body: --body JSON or --body-file PATH (- for stdin), with the field flags "
            "merged on top (they win). Arrays take JSON or A,B; objects take JSON."
        )
    if any(p.default_from == "project" for p in op.path_params):
        notes.append("--project-code defaults to the configured project (TESTAMENT_PROJECT, ...).")
    if any(p.default_from == "run_id" for p in op.path_params):
        notes.append("--run-id defaults to the configured run (TESTAMENT_RUN_ID, ...).")
    notes.append(EXIT_CODES)
    return _escape(" ".join(notes))


def _annotation(param: Param, panel: str) -> Any:
    """`Annotated[Optional[T], typer.Option(...)]` for a row's parameter."""
    description = param.description
    if param.choices:
        description = f"{description} One of: {', '.join(param.choices)}.".strip()
    if param.kind == "any":
        description = f"{description} JSON (2, true, {{...}}) or plain text.".strip()
    if param.required and panel == "Body fields":
        description = f"{description} (required in the body)".strip()
    options: dict[str, Any] = {
        "help": _escape(description),
        "show_default": False,
        "rich_help_panel": panel,
    }
    declarations = [param.flag, *param.aliases]
    python_type: Any = str
    if param.kind == "boolean":
        no_flag = f"--no-{param.flag.removeprefix('--')}"
        declarations = [f"{param.flag}/{no_flag}", *param.aliases]
        python_type = bool
    elif param.kind == "integer":
        python_type, options["metavar"] = int, metavar(param)
    elif param.kind == "number":
        python_type, options["metavar"] = float, metavar(param)
    elif param.kind == "array" and panel != "Body fields":
        python_type, options["metavar"] = list[str], metavar(param)  # a repeatable query flag
    else:
        options["metavar"] = metavar(param)
    if panel == "Files":
        python_type = list[Path]
        options.update(exists=True, dir_okay=False, readable=True, metavar="PATH")
    if param.choices:
        choices = param.choices

        def complete(incomplete: str) -> list[str]:
            return [c for c in choices if c.startswith(incomplete)]

        options["autocompletion"] = complete
    return Annotated[Optional[python_type], typer.Option(*declarations, **options)]  # noqa: UP045


def _text_option(flag: str, metavar_text: str, help_line: str, panel: str) -> Any:
    option = typer.Option(flag, metavar=metavar_text, help=help_line, rich_help_panel=panel)
    return Annotated[Optional[str], option]  # noqa: UP045


def build_command(op: Operation, composite: Composite | None = None) -> Command:
    """A Typer command whose flags are the row's parameters, plus body, paging and connection."""
    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    ]
    flags: dict[str, str] = {}  # Python name -> flag

    def add(flag: str, annotation: Any, default: Any = None) -> None:
        name = f"p{len(flags)}"
        flags[name] = flag
        parameters.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
            )
        )

    for param in op.path_params:
        add(param.flag, _annotation(param, "Path"))
    for param in op.query_params:
        add(param.flag, _annotation(param, "Filters and paging" if op.paging else "Query"))
    if op.paging:
        add(
            "--all",
            Annotated[
                bool,
                typer.Option(
                    "--all",
                    help="Follow the pages to the end; print every entity as one JSON list.",
                    rich_help_panel="Filters and paging",
                ),
            ],
            False,
        )
    if op.body == "json":
        add("--body", _text_option("--body", "JSON", "The request body as a JSON object.", "Body"))
        add(
            "--body-file",
            _text_option(
                "--body-file", "PATH", "Read the JSON body from a file (- for stdin).", "Body"
            ),
        )
    for param in op.body_fields:
        add(param.flag, _annotation(param, "Body fields" if op.body == "json" else "Files"))
    url_help = "Server URL (else TESTAMENT_URL, .testament.toml, user config)."
    token_help = "API token (else TESTAMENT_TOKEN or QASE_TESTOPS_API_TOKEN, files)."
    add("--url", _text_option("--url", "URL", url_help, "Connection"))
    add("--token", _text_option("--token", "TOKEN", token_help, "Connection"))

    runner = composite.run if composite is not None else None

    def command(ctx: typer.Context, **values: Any) -> None:
        by_flag = {flags[name]: value for name, value in values.items()}
        execute(ctx, op, by_flag, runner)

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    calls = composite.calls if composite is not None else f"{op.method} {op.path}"
    one = typer.Typer(add_completion=False, rich_markup_mode="rich")
    one.command(
        name=op.action,
        help=help_text(op, calls),
        epilog=epilog(op),
        short_help=_escape(op.description or op.summary),
        context_settings=dict(HELP_OPTIONS),
    )(command)
    return typer.main.get_command(one)


# Running one command -----------------------------------------------------------------------------


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(EXIT_FAILURE)


def connection_flags(ctx: typer.Context, url: str | None, token: str | None) -> dict[str, Any]:
    """The command's --url/--token, else the group's; the group's --project."""
    group = ctx.meta.get(CONNECTION_KEY, {})
    return {
        "url": url or group.get("url"),
        "token": token or group.get("token"),
        "project": group.get("project"),
    }


def execute(
    ctx: typer.Context,
    op: Operation,
    values: dict[str, Any],
    runner: Callable[[ApiClient, PreparedRequest], Any] | None,
) -> None:
    from testament.client import api_call
    from testament.client.composite import CompositeError
    from testament.client.config import ConfigError, resolve
    from testament.client.http import ApiClient, ApiError, retry_policy

    connection = connection_flags(ctx, values.pop("--url", None), values.pop("--token", None))
    try:
        request = api_call.prepare(
            op,
            values,
            body=values.get("--body"),
            body_file=values.get("--body-file"),
            all_pages=bool(values.get("--all")),
        )
    except api_call.FlagError as exc:
        raise typer.BadParameter(exc.message, param_hint=exc.flag) from None
    try:
        config = resolve(connection)
        retry = retry_policy(os.environ, interactive=True)
    except ConfigError as exc:
        _fail(f"error: {exc}")
    try:
        api_call.fill_path(op, request, values, config)
    except api_call.FlagError as exc:
        raise typer.BadParameter(exc.message, param_hint=exc.flag) from None
    try:
        with ApiClient(config, retry=retry) as client:
            output = runner(client, request) if runner else api_call.send(client, request)
    except ApiError as exc:
        _fail(api_call.explain(op, exc))
    except (CompositeError, OSError) as exc:  # OSError: a file to upload could not be read
        _fail(f"error: {exc}")
    typer.echo(api_call.to_json(output))


# The group ---------------------------------------------------------------------------------------

api_app = typer.Typer(
    cls=ApiGroup,
    help=(
        "Call the API: `testament api <resource> <action>`, a command for every operation. "
        "JSON on stdout; errors on stderr naming the flag; exit 0 ok, 1 failed, 2 usage. "
        "`testament api cases create -h` shows a command's flags, REST path and an example."
    ),
    no_args_is_help=True,
    context_settings=dict(HELP_OPTIONS),
)


@api_app.callback()
def api_options(
    ctx: typer.Context,
    url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--url", metavar="URL", help="Server URL, for every command below."),
    ] = None,
    token: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--token", metavar="TOKEN", help="API token, for every command below."),
    ] = None,
    project: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--project", metavar="CODE", help="Default project code (else TESTAMENT_PROJECT, ...)."
        ),
    ] = None,
) -> None:
    """Connection options for every `testament api` command (a command's own flags win)."""
    ctx.meta[CONNECTION_KEY] = {"url": url, "token": token, "project": project}
