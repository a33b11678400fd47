"""The `testament upload ...` and `testament junit-upload` commands: Typer declarations only.

Imported by `testament.cli.main` at start-up, so nothing heavy here: the work is imported
inside the command (`command.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
upload_app = typer.Typer(
    help="Upload test reports (JUnit, Allure, Playwright, Qase Report) into a run.",
    no_args_is_help=True,
    context_settings=HELP_OPTIONS,
)

DESCRIPTIONS = {
    "junit": "JUnit XML files (or folders of them): pytest --junitxml, node --test-reporter=junit, "
    "Maven Surefire, go-junit-report, ...",
    "allure": "Allure results folders (allure-pytest --alluredir, allure-js ...): *-result.json "
    "and the files they attach.",
    "playwright": "Playwright JSON reports (--reporter=json), with their attachments.",
    "qase": "Qase Report folders, as the official reporters write them with QASE_MODE=report.",
}
EXAMPLES = {
    "junit": "testament upload junit --project DEMO --run-title 'Nightly {date:%Y-%m-%d}' report.xml",
    "allure": "testament upload allure --project DEMO --run-id 12 allure-results/",
    "playwright": "testament upload playwright --project DEMO --create-cases results.json",
    "qase": "testament upload qase --project DEMO --complete build/qase-report/",
}


class ErrorStatus(StrEnum):
    invalid = "invalid"
    blocked = "blocked"
    failed = "failed"


class Output(StrEnum):
    text = "text"
    json = "json"


def _command(format_name: str) -> Callable[..., None]:
    def command(
        paths: Annotated[
            list[Path],
            typer.Argument(
                help="Report files or folders.", show_default=False, metavar="FILES_OR_DIRS"
            ),
        ],
        url: Annotated[
            Optional[str],  # noqa: UP045 - Typer reads these annotations at runtime
            typer.Option(help="Server URL (else TESTAMENT_URL, .testament.toml, user config)."),
        ] = None,
        token: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(help="API token (else TESTAMENT_TOKEN or QASE_TESTOPS_API_TOKEN)."),
        ] = None,
        project: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--project", "-p", help="Project code (else TESTAMENT_PROJECT)."),
        ] = None,
        run_id: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                "--run-id",
                help="An open run: its id, or its URL on this server (else TESTAMENT_RUN_ID).",
            ),
        ] = None,
        run_title: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(
                help="Title of the run to use: an open run with this title is reused (parallel "
                "shards share it), else one is created. Placeholders: {env:NAME}, "
                "{env:NAME:-fallback}, {date}, {date:%Y-%m-%d} (UTC). "
                "Default: 'Automated run {date:%Y-%m-%d %H:%M:%S}'.",
            ),
        ] = None,
        run_description: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(help="Description of a run this command creates."),
        ] = None,
        environment: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(help="Environment of a created run: its slug or id."),
        ] = None,
        milestone: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option(help="Milestone of a created run: its id or title."),
        ] = None,
        plan: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option(help="Test plan of a created run (its cases join the run).", min=1),
        ] = None,
        tag: Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Option(help="Tag of a created run (repeatable)."),
        ] = None,
        complete: Annotated[
            bool,
            typer.Option(
                "--complete",
                help="Complete the run once every result is delivered (not if any failed).",
            ),
        ] = False,
        ignore_unmatched: Annotated[
            bool,
            typer.Option(
                "--ignore-unmatched",
                help="Skip tests that match no case (or name a missing one), with a count.",
            ),
        ] = False,
        create_cases: Annotated[
            bool,
            typer.Option(
                "--create-cases",
                help="Create a case for each unmatched test, in the suite path the report gives "
                "(a case with the same title there is reused).",
            ),
        ] = False,
        batch_size: Annotated[
            int, typer.Option(help="Results per request (the server takes up to 2000).", min=1)
        ] = 200,
        max_attachment_bytes: Annotated[
            int,
            typer.Option(
                envvar="TESTAMENT_ATTACHMENT_MAX_FILE_BYTES",
                help="Larger attachments are skipped with a warning (the result still goes).",
                min=1,
            ),
        ] = 32 * 1024 * 1024,
        attachments_root: Annotated[
            Optional[list[Path]],  # noqa: UP045
            typer.Option(
                "--attachments-root",
                metavar="DIR",
                help="Also upload attachments from this folder (repeatable); by default only "
                "files inside the report's own folder are uploaded.",
                show_default=False,
            ),
        ] = None,
        error_status: Annotated[
            ErrorStatus,
            typer.Option(help="Status of tests that errored (JUnit <error>, Allure broken)."),
        ] = ErrorStatus.invalid,
        dry_run: Annotated[
            bool,
            typer.Option(
                "--dry-run",
                help="Read, match and print the plan (matched, unmatched, duplicates, batches, "
                "attachments); write nothing.",
            ),
        ] = False,
        output: Annotated[
            Output, typer.Option(help="json: the summary as JSON on stdout, nothing else there.")
        ] = Output.text,
        progress: Annotated[
            Optional[bool],  # noqa: UP045
            typer.Option(
                "--progress/--no-progress",
                help="A progress bar on stderr (default: when stderr is a terminal).",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from testament.client.upload.command import UploadOptions, upload

        status = upload(
            UploadOptions(
                format=format_name,
                paths=list(paths),
                url=url,
                token=token,
                project=project,
                run_ref=run_id,
                run_title=run_title,
                run_description=run_description,
                environment=environment,
                milestone=milestone,
                plan_id=plan,
                tags=list(tag or []),
                complete=complete,
                ignore_unmatched=ignore_unmatched,
                create_cases=create_cases,
                batch_size=batch_size,
                max_attachment_bytes=max_attachment_bytes,
                attachments_roots=list(attachments_root or []),
                error_status=error_status.value,
                dry_run=dry_run,
                output=output.value,
                progress=progress,
            )
        )
        raise typer.Exit(status)

    command.__doc__ = (
        f"Upload {DESCRIPTIONS[format_name]}\n\n"
        "Each test goes to the case its name (DEMO-12, demo12) or the report's metadata names; "
        "unmatched tests stop the upload unless --create-cases or --ignore-unmatched. Results "
        "carry idempotency keys: running the same command again never stores one twice. "
        "Exit 0 when everything was delivered, 1 otherwise.\n\n"
        f"Example: {EXAMPLES[format_name]}\n\n"
        "Calls: GET /v1/project/{code}, GET|POST /v1/run/{code}, POST /v1/attachment/{code}, "
        "POST /v2/{code}/run/{id}/results, POST /v1/run/{code}/{id}/complete."
    )
    return command


for _format in DESCRIPTIONS:
    upload_app.command(_format)(_command(_format))

junit_upload = _command("junit")
