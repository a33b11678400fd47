"""Allure results: a folder of `*-result.json` files (allure-pytest, allure-js, ...), the files
they attach beside them.

Status: passed, failed and skipped as they are; broken (an error, not a failed assertion) is the
error status (invalid unless --error-status says otherwise); unknown is blocked. Steps keep
their own status, broken steps being failed. The case comes from TMS and test-case links
(`allure.testcase`), or the labels `as_id`, `allure_id`, `qase_id`, `test_id`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testament.client.upload.model import (
    Attachment,
    AttemptCounter,
    ReportError,
    Step,
    TestOutcome,
)

CASE_LABELS = frozenset({"asid", "allureid", "qaseid", "testid", "testopsid", "caseid", "testcase"})
CASE_LINK_TYPES = frozenset({"tms", "testcase", "qase"})
SUITE_LABELS = ("parentSuite", "suite", "subSuite")
STEP_STATUS = {"passed": "passed", "failed": "failed", "broken": "failed", "skipped": "skipped"}


def _normal(name: Any) -> str:
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())


def result_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*-result.json"))


def _load(path: Path, shown: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{shown}: cannot read it: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{shown}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ReportError(f"{shown}: not an Allure result (expected a JSON object).")
    return data


def _seconds(value: Any) -> float | None:
    return value / 1000 if isinstance(value, int | float) and value >= 0 else None


def _span(item: dict[str, Any]) -> tuple[float | None, float | None, int | None]:
    start, stop = _seconds(item.get("start")), _seconds(item.get("stop"))
    duration = round((stop - start) * 1000) if start is not None and stop is not None else None
    return start, stop, max(0, duration) if duration is not None else None


def _details(item: dict[str, Any]) -> tuple[str | None, str | None]:
    details = item.get("statusDetails")
    if not isinstance(details, dict):
        return None, None
    message, trace = details.get("message"), details.get("trace")
    return (
        message.strip() or None if isinstance(message, str) else None,
        trace.strip() or None if isinstance(trace, str) else None,
    )


def _attachments(item: dict[str, Any], folder: Path) -> list[Attachment]:
    found = []
    for entry in item.get("attachments") or []:
        if isinstance(entry, dict) and isinstance(entry.get("source"), str):
            found.append(
                Attachment(
                    name=str(entry.get("name") or entry["source"]),
                    path=folder / entry["source"],
                    mime=entry.get("type") if isinstance(entry.get("type"), str) else None,
                )
            )
    return found


def _parameters(item: dict[str, Any]) -> dict[str, str]:
    params: dict[str, str] = {}
    for entry in item.get("parameters") or []:
        if isinstance(entry, dict) and entry.get("name") and not entry.get("excluded"):
            params[str(entry["name"])] = str(entry.get("value", ""))
    return params


def _steps(items: Any, folder: Path) -> list[Step]:
    steps = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        start, stop, duration = _span(item)
        message, trace = _details(item)
        params = _parameters(item)
        steps.append(
            Step(
                title=str(item.get("name") or "(unnamed step)"),
                status=STEP_STATUS.get(str(item.get("status")), "blocked"),
                duration_ms=duration,
                start_time=start,
                end_time=stop,
                comment="\n".join(t for t in (message, trace) if t) or None,
                input_data="\n".join(f"{k}: {v}" for k, v in params.items()) or None,
                attachments=_attachments(item, folder),
                steps=_steps(item.get("steps"), folder),
            )
        )
    return steps


def _case_refs(data: dict[str, Any]) -> list[str]:
    refs = []
    for label in data.get("labels") or []:
        if isinstance(label, dict) and _normal(label.get("name")) in CASE_LABELS:
            refs.append(str(label.get("value") or ""))
    for link in data.get("links") or []:
        if isinstance(link, dict) and _normal(link.get("type")) in CASE_LINK_TYPES:
            refs.append(str(link.get("name") or link.get("url") or ""))
    return [ref for ref in refs if ref.strip()]


def _suite_path(data: dict[str, Any]) -> list[str]:
    labels = {
        str(label.get("name")): str(label.get("value") or "")
        for label in data.get("labels") or []
        if isinstance(label, dict)
    }
    path = [labels[name] for name in SUITE_LABELS if labels.get(name, "").strip()]
    if path:
        return path
    if labels.get("package"):
        return [part for part in labels["package"].split(".") if part]
    title_path = data.get("titlePath")
    return [str(part) for part in title_path or [] if str(part).strip()]


def read_allure(
    folder: Path, shown: str, error_status: str, only: list[Path] | None = None
) -> Iterator[TestOutcome]:
    """Every result in the folder (or just `only`), oldest first, so that a retry comes after
    what it retried."""
    files = only if only is not None else result_files(folder)
    order: list[tuple[float, str, Path]] = []
    for path in files:
        data = _load(path, f"{shown}/{path.name}")
        start = data.get("start")
        order.append((float(start) if isinstance(start, int | float) else 0.0, path.name, path))
    attempts = AttemptCounter()
    statuses = {
        "passed": "passed",
        "failed": "failed",
        "broken": error_status,
        "skipped": "skipped",
        "unknown": "blocked",
    }
    for _, _, path in sorted(order):
        data = _load(path, f"{shown}/{path.name}")
        name = str(data.get("name") or "").strip() or "(unnamed test)"
        params = _parameters(data)
        identity = str(
            data.get("historyId")
            or "::".join([str(data.get("fullName") or name), json.dumps(params, sort_keys=True)])
        )
        start, stop, duration = _span(data)
        message, trace = _details(data)
        suite_path = _suite_path(data)
        labels = data.get("labels") or []
        thread = next(
            (
                str(label.get("value"))
                for label in labels
                if isinstance(label, dict) and label.get("name") == "thread"
            ),
            None,
        )
        yield TestOutcome(
            source=f"{shown}/{path.name}",
            identity=identity,
            title=name,
            status=statuses.get(str(data.get("status")), "blocked"),
            suite_path=suite_path,
            duration_ms=duration,
            start_time=start,
            end_time=stop,
            message=message,
            stacktrace=trace,
            steps=_steps(data.get("steps"), folder),
            params=params,
            attachments=_attachments(data, folder),
            case_refs=_case_refs(data),
            signature="::".join([*suite_path, name]),
            thread=thread,
            fingerprint=str(data.get("uuid") or data.get("start") or ""),
            attempt=attempts.next(identity),
        )
