"""`testament upload FORMAT FILES_OR_DIRS...`: plan, choose the run, deliver, summarise.

Exit status: 0 when every result was delivered (or deliberately skipped), 1 otherwise (and
for unmatched tests, unreadable reports, configuration errors); the run is completed with
`--complete` only when nothing failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from testament.client.config import ClientConfig, ConfigError, resolve
from testament.client.http import ApiClient, ApiError, retry_policy
from testament.client.upload import plan, runs
from testament.client.upload.attachments import (
    DEFAULT_MAX_FILE_BYTES,
    AttachmentUploader,
    confine,
)
from testament.client.upload.delivery import Delivery, UploadStopped
from testament.client.upload.markers import CaseMarkers
from testament.client.upload.model import ReportError
from testament.client.upload.payload import prepare
from testament.client.upload.progress import Progress
from testament.client.upload.report import (
    Summary,
    guidance,
    plural,
    print_json,
    print_plan,
    print_summary,
)
from testament.client.upload.sources import Report, find_reports


@dataclass(frozen=True)
class UploadOptions:
    format: str
    paths: list[Path]
    url: str | None = None
    token: str | None = None
    project: str | None = None
    run_ref: str | None = None
    run_title: str | None = None
    run_description: str | None = None
    environment: str | None = None
    milestone: str | None = None
    plan_id: int | None = None
    tags: list[str] = field(default_factory=list)
    complete: bool = False
    ignore_unmatched: bool = False
    create_cases: bool = False
    batch_size: int = 200
    max_attachment_bytes: int = DEFAULT_MAX_FILE_BYTES
    attachments_roots: list[Path] = field(default_factory=list)  # besides each report's folder
    error_status: str = "invalid"
    dry_run: bool = False
    output: str = "text"
    progress: bool | None = None  # None: when stderr is a terminal


class UsageError(Exception):
    """Options that do not fit together; the message names them."""


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def upload(options: UploadOptions, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; answers its exit status."""
    environ = os.environ if environ is None else environ
    try:
        return _upload(options, environ)
    except (ConfigError, ReportError, runs.RunError, UsageError) as exc:
        _err(f"error: {exc}")
        return 1
    except ApiError as exc:
        _err(f"error: {exc}")
        return 1


def _project_and_run(options: UploadOptions, config: ClientConfig) -> tuple[str, int | None]:
    code_in_url: str | None = None
    run_id = config.run_id
    if options.run_ref:
        if options.run_title:
            raise UsageError("give --run-id or --run-title, not both")
        code_in_url, run_id = runs.parse_run_reference(options.run_ref, config)
    elif options.run_title:
        run_id = None  # a title given on the command line beats a run id from the environment
    flag_code = options.project.upper() if options.project else None
    if code_in_url and flag_code and code_in_url != flag_code:
        raise UsageError(f"--run-id names project {code_in_url} but --project is {flag_code}")
    code = code_in_url or config.project
    if not code:
        raise ConfigError(
            "No project: give --project DEMO, or set TESTAMENT_PROJECT (or QASE_TESTOPS_PROJECT),"
            ' or put project = "DEMO" in .testament.toml.'
        )
    return code, run_id


def _upload(options: UploadOptions, environ: Mapping[str, str]) -> int:
    if options.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    config = resolve(
        {"url": options.url, "token": options.token, "project": options.project},
        environ=environ,
    )
    code, run_id = _project_and_run(options, config)
    reports = find_reports(options.format, options.paths)
    progress_enabled = options.progress
    with ApiClient(config, retry=retry_policy(environ, interactive=False), on_retry=_err) as client:
        try:
            client.request("GET", f"/v1/project/{code}")
        except ApiError as exc:
            if exc.status == 404:
                raise ConfigError(
                    f"Project {code} not found (or this token may not see it)."
                ) from None
            raise
        markers = CaseMarkers(code)
        survey = plan.survey(reports, markers, options.error_status)
        survey.missing_cases = plan.check_cases(client, code, survey.numbers)
        summary = Summary(
            project=code,
            survey=survey,
            reports=reports,
            dry_run=options.dry_run,
            batch_size=options.batch_size,
            complete_requested=options.complete,
        )
        blocked = _blocking(survey, options)
        if options.dry_run:
            _plan_run(client, config, code, run_id, options, environ, summary)
            _deliver(None, code, summary.run_id or 0, reports, markers, options, summary, False)
            print_plan(summary, blocked, options.output)
            return 1 if blocked else 0
        if survey.total == 0 and run_id is None:
            _err("The reports hold no test results: no run was created, nothing was sent.")
            if options.output == "json":
                print_json(summary)
            return 0
        if blocked:
            _err(guidance(summary, blocked, list_unmatched=not options.create_cases))
            if options.output == "json":
                print_summary(summary, options.output, error=blocked)
            return 1
        _choose_run(client, config, code, run_id, options, environ, summary)
        assert summary.run_id is not None
        _deliver(client, code, summary.run_id, reports, markers, options, summary, progress_enabled)
        if options.complete and summary.failed == 0 and summary.stopped is None:
            try:
                client.request("POST", f"/v1/run/{code}/{summary.run_id}/complete")
                summary.completed = True
            except ApiError as exc:
                summary.stopped = (
                    f"every result was delivered, but the run was not completed: {exc}"
                )
        print_summary(summary, options.output)
        return 0 if summary.failed == 0 and summary.stopped is None else 1


def _blocking(survey: plan.Survey, options: UploadOptions) -> str | None:
    """Why the upload must not start (unmatched tests not allowed for), or None."""
    problems = []
    if survey.unmatched and not (options.create_cases or options.ignore_unmatched):
        problems.append(f"{survey.unmatched} of {plural(survey.total, 'result')} match no case")
    if survey.stale and not options.ignore_unmatched:
        problems.append(f"{plural(survey.stale, 'result')} naming a case that does not exist")
    return "; ".join(problems) or None


def _title(options: UploadOptions, environ: Mapping[str, str]) -> str:
    return runs.render_title(options.run_title or runs.DEFAULT_TITLE, environ)


def _settings(options: UploadOptions, environ: Mapping[str, str]) -> runs.RunSettings:
    return runs.RunSettings(
        title=_title(options, environ),
        description=options.run_description,
        environment=options.environment,
        milestone=options.milestone,
        plan=options.plan_id,
        tags=tuple(options.tags),
    )


def _plan_run(
    client: ApiClient,
    config: ClientConfig,
    code: str,
    run_id: int | None,
    options: UploadOptions,
    environ: Mapping[str, str],
    summary: Summary,
) -> None:
    """What run a real upload would use, found by reading only."""
    if run_id is not None:
        run = runs.get_run(client, code, run_id)
        runs.require_open(run, code)
        summary.set_run(run_id, str(run.get("title", "")), config, created=False, reused=False)
        return
    title = _title(options, environ)
    existing = runs.open_runs_titled(client, code, title)
    if existing:
        summary.set_run(int(existing[0]["id"]), title, config, created=False, reused=True)
    else:
        summary.run_title = title
        summary.run_created = True  # would be


def _choose_run(
    client: ApiClient,
    config: ClientConfig,
    code: str,
    run_id: int | None,
    options: UploadOptions,
    environ: Mapping[str, str],
    summary: Summary,
) -> None:
    if run_id is not None:
        run = runs.get_run(client, code, run_id)
        runs.require_open(run, code)
        summary.set_run(run_id, str(run.get("title", "")), config, created=False, reused=False)
        return
    chosen = runs.find_or_create(client, code, _settings(options, environ), _err)
    summary.set_run(chosen.id, chosen.title, config, created=chosen.created, reused=chosen.reused)


def _deliver(
    client: ApiClient | None,
    code: str,
    run_id: int,
    reports: list[Report],
    markers: CaseMarkers,
    options: UploadOptions,
    summary: Summary,
    progress_enabled: bool | None,
) -> None:
    """The second pass: every result prepared and sent (or, without a client, counted)."""
    survey = summary.survey
    progress = Progress(
        survey.total,
        "Uploading results",
        enabled=False if client is None else progress_enabled,
    )
    uploader = AttachmentUploader(client, code, options.max_attachment_bytes, progress.say)
    delivery = Delivery(client, code, run_id, uploader, options.batch_size, progress.advance)
    skipped = 0
    try:
        for report in reports:
            roots = [report.folder, *options.attachments_roots]
            for outcome in report.outcomes(options.error_status):
                confine(outcome, roots)
                match = markers.match(outcome)
                stale = bool(survey.missing_cases.intersection(match.numbers))
                if stale or (not match.numbers and not options.create_cases):
                    skipped += 1  # only reached with --ignore-unmatched (checked before)
                    progress.advance(1)
                    continue
                if not match.numbers:
                    summary.filed_by_title += 1
                delivery.add(prepare(outcome, run_id, match.numbers))
        delivery.flush()
    except (UploadStopped, ReportError) as exc:
        summary.stopped = str(exc)
    finally:
        uploader.close()
        progress.finish()
    summary.skipped = skipped
    summary.delivered = delivery.tally.delivered
    summary.batches = delivery.tally.batches
    summary.failures = delivery.tally.failures
    summary.failed = survey.total - skipped - delivery.tally.delivered
    summary.attachments = uploader.tally
