"""Playwright's JSON report (`--reporter=json`): suites of specs, each test's results per retry.

Status: passed, skipped; failed and timedOut are failed; interrupted is blocked. A test marked
`test.fail()` (expected to fail) that fails is passed, and failed if it passes, as Playwright
itself judges it. Every retry is a result of its own, in order, so the last one decides the
case's status in the run. The case comes from annotations (`{type: "QaseID", description:
"12"}`, also `test_id`, `testcase`, `tms`) or tags (`@DEMO-12`), else the title.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testament.client.upload.junit import epoch
from testament.client.upload.model import Attachment, ReportError, Step, TestOutcome

CASE_ANNOTATIONS = frozenset(
    {"qaseid", "qase", "testid", "testopsid", "caseid", "testcase", "testcaseid", "tms"}
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RESULT_STATUS = {
    "passed": "passed",
    "failed": "failed",
    "timedOut": "failed",
    "skipped": "skipped",
    "interrupted": "blocked",
}


def _normal(name: Any) -> str:
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())


def _plain(text: Any) -> str | None:
    return ANSI.sub("", text).strip() or None if isinstance(text, str) else None


def _output(chunks: Any) -> str | None:
    parts = []
    for chunk in chunks or []:
        if isinstance(chunk, dict) and isinstance(chunk.get("text"), str):
            parts.append(chunk["text"])
        elif isinstance(chunk, dict) and isinstance(chunk.get("buffer"), str):
            try:
                parts.append(base64.b64decode(chunk["buffer"]).decode("utf-8", "replace"))
            except (binascii.Error, ValueError):
                continue
        elif isinstance(chunk, str):
            parts.append(chunk)
    return _plain("".join(parts))


def _errors(result: dict[str, Any]) -> tuple[str | None, str | None]:
    errors = [e for e in result.get("errors") or [] if isinstance(e, dict)]
    if not errors and isinstance(result.get("error"), dict):
        errors = [result["error"]]
    messages = [m for m in (_plain(e.get("message")) for e in errors) if m]
    stacks = [s for s in (_plain(e.get("stack")) for e in errors) if s]
    return "\n".join(messages) or None, "\n\n".join(stacks) or None


def _attachment(entry: dict[str, Any], folder: Path) -> Attachment | None:
    name = str(entry.get("name") or "attachment")
    mime = entry.get("contentType") if isinstance(entry.get("contentType"), str) else None
    if isinstance(entry.get("path"), str):
        path = Path(entry["path"])
        # Where the report was written, else (a moved CI artifact) the same path's tail
        # under the report's folder: test-results/<test>/shot.png, then shorter.
        tails = [
            Path(*path.parts[index:])
            for index in range(len(path.parts))
            if path.parts[index] != path.anchor
        ]
        for candidate in (path, *(folder / tail for tail in tails)):
            if candidate.is_file():
                path = candidate
                break
        return Attachment(name=path.name or name, path=path, mime=mime)
    if isinstance(entry.get("body"), str):
        try:
            content = base64.b64decode(entry["body"])
        except (binascii.Error, ValueError):
            content = entry["body"].encode()
        return Attachment(name=name, content=content, mime=mime)
    return None


def _steps(items: Any) -> list[Step]:
    steps = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        error = item.get("error") if isinstance(item.get("error"), dict) else None
        duration = item.get("duration")
        steps.append(
            Step(
                title=str(item.get("title") or "(unnamed step)"),
                status="failed" if error else "passed",
                duration_ms=int(duration)
                if isinstance(duration, int | float) and duration >= 0
                else None,
                start_time=epoch(item.get("startTime"))
                if isinstance(item.get("startTime"), str)
                else None,
                comment=_plain(error.get("message")) if error else None,
                steps=_steps(item.get("steps")),
            )
        )
    return steps


def _status(result: dict[str, Any], expected: Any) -> str:
    actual = str(result.get("status"))
    if expected == "failed" and actual in ("failed", "passed"):
        return "passed" if actual == "failed" else "failed"
    return RESULT_STATUS.get(actual, "blocked")


def _walk(suite: dict[str, Any], path: list[str]) -> Iterator[tuple[list[str], dict[str, Any]]]:
    here = [*path, str(suite["title"])] if str(suite.get("title") or "").strip() else path
    for spec in suite.get("specs") or []:
        if isinstance(spec, dict):
            yield here, spec
    for child in suite.get("suites") or []:
        if isinstance(child, dict):
            yield from _walk(child, here)


def read_playwright(path: Path, shown: str, error_status: str) -> Iterator[TestOutcome]:
    del error_status  # Playwright tells failures from errors by neither status nor report
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{shown}: cannot read it: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{shown}: not valid JSON: {exc}") from None
    if not isinstance(report, dict) or not isinstance(report.get("suites"), list):
        raise ReportError(f"{shown}: not a Playwright JSON report (no `suites` list).")
    folder = path.parent
    for top in report["suites"]:
        if not isinstance(top, dict):
            continue
        for suite_path, spec in _walk(top, []):
            title = str(spec.get("title") or "").strip() or "(unnamed test)"
            tags = [str(tag) for tag in spec.get("tags") or []]
            for test in spec.get("tests") or []:
                if not isinstance(test, dict):
                    continue
                project = str(test.get("projectName") or "")
                identity = "::".join([*suite_path, title, project])
                for index, result in enumerate(test.get("results") or []):
                    if isinstance(result, dict):
                        yield _outcome(
                            shown,
                            folder,
                            suite_path,
                            title,
                            tags,
                            project,
                            identity,
                            test,
                            result,
                            index,
                        )


def _outcome(
    shown: str,
    folder: Path,
    suite_path: list[str],
    title: str,
    tags: list[str],
    project: str,
    identity: str,
    test: dict[str, Any],
    result: dict[str, Any],
    index: int,
) -> TestOutcome:
    annotations = [
        *(test.get("annotations") or []),
        *(result.get("annotations") or []),
    ]
    refs = [
        str(a.get("description") or "")
        for a in annotations
        if isinstance(a, dict) and _normal(a.get("type")) in CASE_ANNOTATIONS
    ]
    started = result.get("startTime")
    start = epoch(started) if isinstance(started, str) else None
    duration = result.get("duration")
    time_ms = int(duration) if isinstance(duration, int | float) and duration >= 0 else None
    message, stack = _errors(result)
    retry = result.get("retry")
    attempt = retry if isinstance(retry, int) and retry >= 0 else index
    attachments = [
        found
        for found in (
            _attachment(entry, folder)
            for entry in result.get("attachments") or []
            if isinstance(entry, dict)
        )
        if found is not None
    ]
    return TestOutcome(
        source=shown,
        identity=identity,
        title=title,
        status=_status(result, test.get("expectedStatus")),
        suite_path=suite_path,
        duration_ms=time_ms,
        start_time=start,
        end_time=start + time_ms / 1000 if start is not None and time_ms is not None else None,
        message=message,
        stacktrace=stack,
        stdout=_output(result.get("stdout")),
        stderr=_output(result.get("stderr")),
        steps=_steps(result.get("steps")),
        params={"project": project} if project else {},
        attachments=attachments,
        case_refs=[r for r in [*refs, *tags] if r.strip()],
        signature=identity,
        thread=str(result.get("workerIndex")) if result.get("workerIndex") is not None else None,
        fingerprint=f"{started or ''}|{index}",
        attempt=attempt,
    )
