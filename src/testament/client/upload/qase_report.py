"""Qase Report files: what the official reporters write in `report` mode (QASE_MODE=report).

A report folder holds `run.json`, `results/<id>.json` (JSON, or JSONP `qaseJsonp(...);`) and
`attachments/`. Statuses, steps, params, signature and suite relations are Qase's own, so they
pass through; `testops_ids` (or `testops_project_mapping[<project>]`) name the cases. Attachment
paths are absolute where the report was written; when the folder has moved (a CI artifact),
the file is looked for in its `attachments/` folder.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testament.client.upload.model import (
    RESULT_STATUSES,
    STEP_STATUSES,
    Attachment,
    ReportError,
    Step,
    TestOutcome,
)

JSONP = re.compile(r"^\s*\w+\(\s*(.*)\s*\)\s*;?\s*$", re.S)


def result_files(folder: Path) -> list[Path]:
    """The result files of a report folder (or of its `results/` folder)."""
    results = folder / "results" if (folder / "results").is_dir() else folder
    return sorted(
        p for p in results.iterdir() if p.suffix in (".json", ".jsonp") and p.stem != "run"
    )


def load(path: Path, shown: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{shown}: cannot read it: {exc}") from None
    wrapped = JSONP.match(text) if not text.lstrip().startswith("{") else None
    try:
        data = json.loads(wrapped.group(1) if wrapped else text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{shown}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "execution" not in data:
        raise ReportError(f"{shown}: not a Qase Report result (no `execution`).")
    return data


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value >= 0 else None


def _attachments(entries: Any, report_root: Path) -> list[Attachment]:
    found = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("file_name") or entry.get("id") or "attachment")
        mime = entry.get("mime_type") if isinstance(entry.get("mime_type"), str) else None
        if isinstance(entry.get("file_path"), str) and entry["file_path"]:
            path = Path(entry["file_path"])
            if not path.is_file():
                moved = report_root / "attachments" / path.name
                path = moved if moved.is_file() else path
            found.append(Attachment(name=name, path=path, mime=mime))
        elif isinstance(entry.get("content"), str):
            try:
                content = base64.b64decode(entry["content"], validate=True)
            except (binascii.Error, ValueError):
                content = entry["content"].encode()
            found.append(Attachment(name=name, content=content, mime=mime))
    return found


def _steps(items: Any, report_root: Path) -> list[Step]:
    steps = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        data = _dict(item.get("data"))
        execution = _dict(item.get("execution"))
        status = str(execution.get("status") or "passed")
        duration = _number(execution.get("duration"))
        steps.append(
            Step(
                title=str(data.get("action") or "(unnamed step)"),
                status=status if status in STEP_STATUSES else "blocked",
                duration_ms=int(duration) if duration is not None else None,
                start_time=_number(execution.get("start_time")),
                end_time=_number(execution.get("end_time")),
                comment=execution.get("comment")
                if isinstance(execution.get("comment"), str)
                else None,
                expected_result=data.get("expected_result") or None,
                input_data=data.get("input_data") or None,
                attachments=_attachments(execution.get("attachments"), report_root),
                steps=_steps(item.get("steps"), report_root),
            )
        )
    return steps


def _suite_path(data: dict[str, Any]) -> list[str]:
    relations = data.get("relations")
    suite = relations.get("suite") if isinstance(relations, dict) else None
    entries = suite.get("data") if isinstance(suite, dict) else None
    return [
        str(entry["title"])
        for entry in entries or []
        if isinstance(entry, dict) and str(entry.get("title") or "").strip()
    ]


def read_qase_report(
    folder: Path, shown: str, error_status: str, only: list[Path] | None = None
) -> Iterator[TestOutcome]:
    """Every result of the report (or just `only`), oldest first."""
    del error_status  # Qase's reporters already tell errors (invalid) from failures
    report_root = folder.parent if folder.name == "results" else folder
    order = []
    for path in only if only is not None else result_files(folder):
        execution = load(path, f"{shown}/{path.name}").get("execution") or {}
        start = execution.get("start_time") if isinstance(execution, dict) else None
        order.append((float(start) if isinstance(start, int | float) else 0.0, path.name, path))
    for _, _, path in sorted(order):
        data = load(path, f"{shown}/{path.name}")
        execution = _dict(data["execution"])
        status = str(execution.get("status") or "")
        duration = _number(execution.get("duration"))
        params = _dict(data.get("params"))
        mapping = data.get("testops_project_mapping")
        project_refs = {
            str(code).upper(): [int(n) for n in ids if isinstance(n, int | float)]
            for code, ids in (mapping.items() if isinstance(mapping, dict) else ())
            if isinstance(ids, list)
        }
        title = str(data.get("title") or "").strip() or "(unnamed test)"
        message = data.get("message")
        yield TestOutcome(
            source=f"{shown}/{path.name}",
            identity=str(data.get("id") or path.stem),
            title=title,
            # A custom status this server does not know is kept in the message, sent as invalid.
            status=status if status in RESULT_STATUSES else "invalid",
            suite_path=_suite_path(data),
            duration_ms=int(duration) if duration is not None else None,
            start_time=_number(execution.get("start_time")),
            end_time=_number(execution.get("end_time")),
            message="\n".join(
                part
                for part in (
                    f"Reported status: {status}" if status not in RESULT_STATUSES else "",
                    message.strip() if isinstance(message, str) else "",
                )
                if part
            )
            or None,
            stacktrace=execution.get("stacktrace") or None,
            steps=_steps(data.get("steps"), report_root),
            params={str(k): str(v) for k, v in params.items()},
            attachments=_attachments(data.get("attachments"), report_root),
            case_refs=[
                str(int(n))
                for n in data.get("testops_ids") or [data.get("testops_id")]
                if isinstance(n, int | float)
            ],
            project_refs=project_refs,
            signature=str(data.get("signature") or "") or None,
            thread=str(execution.get("thread")) if execution.get("thread") else None,
            fingerprint=f"{data.get('id') or ''}|{execution.get('start_time') or ''}",
        )
