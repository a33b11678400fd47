"""What `testament import cases` and `testament export cases` do, as functions answering the exit
code: 0 done, 1 failed (validation errors, a refused write, no configuration), 2 usage."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from testament.client.cases_io.export import write_csv, write_json
from testament.client.cases_io.plan import (
    Plan,
    ProjectState,
    SuiteTree,
    file_errors,
    make_plan,
)
from testament.client.cases_io.reader import RowError, decode_lines, join_path, read_cases
from testament.client.cases_io.vocabulary import Vocabulary
from testament.client.cases_io.writer import (
    DEFAULT_BATCH_SIZE,
    Progress,
    Writer,
    WriteStopped,
    write_with_retries,
)
from testament.client.config import ConfigError, resolve
from testament.client.http import ApiClient, ApiError, RetryPolicy, retry_policy

OK, FAILED, USAGE = 0, 1, 2
ERRORS_SHOWN = 200
RERUN_IS_SAFE = (
    "Running the same import again is safe: it finds what was written and writes only the rest."
)


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


class _Usage(Exception):
    pass


def _connect(
    url: str | None, token: str | None, project: str | None
) -> tuple[ApiClient, ApiClient, str]:
    """(retrying client, send-once client, project code); ConfigError or _Usage otherwise."""
    config = resolve({"url": url, "token": token, "project": project})
    code = (project or config.project or "").upper()
    if not code:
        raise _Usage(
            "no project: pass --project CODE (or set TESTAMENT_PROJECT, or `project` in "
            ".testament.toml)"
        )
    client = ApiClient(config, retry=retry_policy(os.environ, interactive=False))
    once = ApiClient(config, retry=RetryPolicy(attempts=1))
    return client, once, code


def _fetch_state(client: ApiClient, code: str) -> ProjectState:
    tree = SuiteTree(client.pages(f"/v1/suite/{code}"))
    cases = {int(case["id"]): case for case in client.pages(f"/v1/case/{code}")}
    return ProjectState(tree, cases)


def _vocabulary(client: ApiClient) -> Vocabulary:
    answer = client.request("GET", "/v1/system_field")
    return Vocabulary.from_system_fields(answer.get("result") or [])


@contextmanager
def _input(file: str) -> Iterator[Iterator[str]]:
    """The file's lines, decoded one at a time (so an encoding error names its line)."""
    if file == "-":
        yield decode_lines(sys.stdin.buffer)
        return
    with open(file, "rb") as binary:
        yield decode_lines(binary)


def import_cases(
    *,
    file: str,
    project: str | None,
    url: str | None,
    token: str | None,
    dry_run: bool,
    match: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    output_json: bool = False,
) -> int:
    if file != "-" and not Path(file).is_file():
        _say(f"{file}: no such file")
        return USAGE
    try:
        client, once, code = _connect(url, token, project)
    except ConfigError as exc:
        _say(str(exc))
        return FAILED
    except _Usage as exc:
        _say(str(exc))
        return USAGE
    use_ids = match == "id"
    summary: dict[str, Any] = {"project": code, "file": file, "dry_run": dry_run}
    try:
        with client, once:
            client.request("GET", f"/v1/project/{code}")
            vocabulary = _vocabulary(client)
            with _input(file) as lines:
                parsed = read_cases(lines, vocabulary, project_code=code)
            for warning in parsed.warnings:
                _say(f"{file}: {warning}")
            errors = parsed.errors + file_errors(parsed, use_ids=use_ids)
            if errors:
                return _invalid(file, errors, summary, output_json)
            state = _fetch_state(client, code)
            plan = make_plan(parsed, state, use_ids=use_ids, blocked_ids=frozenset())
            if plan.errors:
                return _invalid(file, plan.errors, summary, output_json)
            if dry_run:
                _describe(plan)
                summary.update(_counts(plan, len(plan.suites)))
                summary["cases"] = _row_report(plan, None, None)
                return _done(summary, output_json, f"dry run, nothing written: {code} would get")
            writer = Writer(client, once, code, batch_size=batch_size)

            def replan(blocked: frozenset[int]) -> tuple[Plan, SuiteTree]:
                fresh = _fetch_state(client, code)
                again = make_plan(parsed, fresh, use_ids=use_ids, blocked_ids=blocked)
                return again, fresh.suites

            progress = Progress()
            try:
                last = write_with_retries(
                    progress, plan, state.suites, writer, replan, client.retry, _say
                )
            except WriteStopped as exc:
                return _stopped(str(exc), progress, summary, output_json)
            for note in progress.notes:
                _say(note)
            summary.update(_counts(plan, len(plan.suites)))
            summary["cases"] = _row_report(plan, progress, last)
            return _done(summary, output_json, f"{code}:")
    except OSError as exc:
        _say(f"{file}: {exc.strerror or exc}")
        return FAILED
    except ApiError as exc:
        _say(f"error: {exc}")
        return FAILED


def _counts(plan: Plan, suites: int) -> dict[str, int]:
    return {
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": len(plan.unchanged),
        "suites_created": suites,
    }


def _row_report(plan: Plan, progress: Progress | None, last: Plan | None) -> list[dict[str, Any]]:
    """Each row's case id and what happened to it, in file order."""
    known: dict[int, int] = {}
    if last is not None:
        known.update({row.row: case_id for row, case_id in last.unchanged})
    if progress is not None:
        known.update(progress.created)
        known.update(progress.updated)
    report: list[dict[str, Any]] = []
    for create in plan.creates:
        report.append(
            {"row": create.row.row, "id": known.get(create.row.row, create.id), "action": "created"}
        )
    for update in plan.updates:
        report.append(
            {
                "row": update.row.row,
                "id": update.case_id,
                "action": "updated",
                "changes": update.changes,
            }
        )
    for row, case_id in plan.unchanged:
        report.append({"row": row.row, "id": case_id, "action": "unchanged"})
    return sorted(report, key=lambda item: int(item["row"]))


def _describe(plan: Plan) -> None:
    for path in plan.suites:
        _say(f"  create suite {join_path(path)}")
    for create in plan.creates:
        where = f" in {join_path(create.suite)}" if create.suite else ""
        with_id = f" as case {create.id}" if create.id is not None else ""
        _say(f"  create row {create.row.row}{with_id}: {create.row.title!r}{where}")
    for update in plan.updates:
        _say(f"  update row {update.row.row} (case {update.case_id}): {', '.join(update.changes)}")


def _done(summary: dict[str, Any], output_json: bool, lead: str) -> int:
    _say(
        f"{lead} {summary['created']} created, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged, {summary['suites_created']} suites created"
    )
    if output_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return OK


def _invalid(file: str, errors: list[RowError], summary: dict[str, Any], output_json: bool) -> int:
    errors = sorted(errors, key=lambda e: e.row)
    _say(f"{file}: {len(errors)} error{'s' if len(errors) != 1 else ''}, nothing was written:")
    for error in errors[:ERRORS_SHOWN]:
        _say(f"  {error}")
    if len(errors) > ERRORS_SHOWN:
        _say(f"  ... and {len(errors) - ERRORS_SHOWN} more (--output json lists them all)")
    if output_json:
        summary["errors"] = [e.as_json() for e in errors]
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return FAILED


def _stopped(message: str, progress: Progress, summary: dict[str, Any], output_json: bool) -> int:
    written = (
        f"{len(progress.suites)} suites created, {len(progress.created)} cases created, "
        f"{len(progress.updated)} cases updated"
    )
    _say(f"import stopped: {message}")
    _say(f"Written before it stopped: {written}. {RERUN_IS_SAFE}")
    if output_json:
        summary.update(
            {
                "error": message,
                "created": len(progress.created),
                "updated": len(progress.updated),
                "suites_created": len(progress.suites),
                "cases": [
                    *(
                        {"row": r, "id": i, "action": "created"}
                        for r, i in progress.created.items()
                    ),
                    *(
                        {"row": r, "id": i, "action": "updated"}
                        for r, i in progress.updated.items()
                    ),
                ],
            }
        )
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return FAILED


def export_cases(
    *,
    fmt: str,
    project: str | None,
    url: str | None,
    token: str | None,
    output: str | None,
    bom: bool = False,
) -> int:
    try:
        client, once, code = _connect(url, token, project)
    except ConfigError as exc:
        _say(str(exc))
        return FAILED
    except _Usage as exc:
        _say(str(exc))
        return USAGE
    once.close()
    try:
        with client:
            client.request("GET", f"/v1/project/{code}")
            vocabulary = _vocabulary(client) if fmt == "csv" else Vocabulary()
            tree = SuiteTree(client.pages(f"/v1/suite/{code}")) if fmt == "csv" else None
            with _output(output, bom=bom and fmt == "csv") as out:
                cases = client.pages(f"/v1/case/{code}")
                if tree is not None:
                    count = write_csv(out, cases, tree, vocabulary)
                else:
                    count = write_json(out, cases)
    except ApiError as exc:
        _say(f"error: {exc}")
        return FAILED
    except OSError as exc:
        _say(f"{output}: {exc.strerror or exc}")
        return FAILED
    _say(f"exported {count} cases of {code} to {output or 'stdout'}")
    return OK


@contextmanager
def _output(output: str | None, *, bom: bool) -> Iterator[TextIO]:
    """stdout, or a file that appears only complete (written aside, then renamed)."""
    encoding = "utf-8-sig" if bom else "utf-8"
    if output is None or output == "-":
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    target = Path(output)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with temporary.open("w", encoding=encoding, newline="") as stream:
            yield stream
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
