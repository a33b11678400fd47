"""JUnit XML, read streaming with a hardened parser.

`defusedxml`'s iterparse refuses any DTD (so no entity expansion, no billion laughs, no external
entity or network fetch), and every `<testcase>` is dropped from the tree once read, so memory
stays flat however big the file: only one test's text is held at a time.

Status: `<failure>` is failed, `<error>` the error status (invalid, as Qase's reporters send
it, unless --error-status says otherwise), `<skipped>` skipped, nothing passed. Maven's
`<rerunFailure>`/`<flakyFailure>` (and `...Error`) are earlier attempts of the same test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import iterparse as safe_iterparse

from testament.client.upload.model import (
    Attachment,
    ReportError,
    TestOutcome,
    duration_ms,
)

# Property names (lower case, without `_`, `-` and spaces) that name the test's case.
CASE_PROPERTIES = frozenset(
    {"qaseid", "qase", "testid", "testopsid", "testopsids", "caseid", "testcase", "testcaseid"}
)
# Jenkins' JUnit attachments convention, in system-out or system-err.
ATTACHMENT_MARK = re.compile(r"\[\[ATTACHMENT\|([^\]\r\n]+)\]\]")
RERUNS = {"rerunFailure": "failed", "flakyFailure": "failed", "rerunError": "", "flakyError": ""}
# The classname Node's test runner gives every test: says nothing about where the test lives.
PLACEHOLDER_CLASSNAMES = frozenset({"", "test"})


@dataclass(frozen=True)
class SuiteInfo:
    name: str
    timestamp: str


def _local(tag: Any) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def epoch(timestamp: str | None) -> float | None:
    """An ISO-8601 timestamp (naive means UTC) as unix seconds; None if unreadable."""
    if not timestamp:
        return None
    try:
        moment = datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp())


def is_junit(path: Path) -> bool:
    """Whether the file's root element is <testsuites> or <testsuite> (reads only its start)."""
    try:
        with path.open("rb") as source:
            for _, element in safe_iterparse(
                source, events=("start",), forbid_dtd=True, forbid_entities=True
            ):
                return _local(element.tag) in ("testsuites", "testsuite")
    except (DefusedXmlException, ParseError, OSError):
        return True  # let the reading say what is wrong with it
    return False


def read_junit(path: Path, shown: str, error_status: str) -> Iterator[TestOutcome]:
    """Every test execution in the file, in document order."""
    stack: list[Element] = []
    suites: list[SuiteInfo] = []
    in_case = False
    # A testcase's position in the file tells two runs of one test apart (in its idempotency
    # key) without remembering every test seen: memory stays flat for millions of tests.
    ordinal = 0
    try:
        with path.open("rb") as source:
            for event, element in safe_iterparse(
                source,
                events=("start", "end"),
                forbid_dtd=True,
                forbid_entities=True,
                forbid_external=True,
            ):
                tag = _local(element.tag)
                if event == "start":
                    if not stack and tag not in ("testsuites", "testsuite"):
                        raise ReportError(
                            f"{shown}: not a JUnit report: the root element is <{tag}>, "
                            "not <testsuites> or <testsuite>."
                        )
                    if tag == "testsuite" and not in_case:
                        suites.append(
                            SuiteInfo(element.get("name") or "", element.get("timestamp") or "")
                        )
                    elif tag == "testcase":
                        in_case = True
                    stack.append(element)
                    continue
                stack.pop()
                if tag == "testcase":
                    in_case = False
                    yield from _outcomes(element, suites, shown, path.parent, ordinal, error_status)
                    ordinal += 1
                elif in_case:
                    continue  # a testcase's children are read when the testcase ends
                elif tag == "testsuite" and suites:
                    suites.pop()
                element.clear()
                if stack:
                    stack[-1].remove(element)
    except DTDForbidden:
        raise ReportError(
            f"{shown}: refused: the file declares a DTD (<!DOCTYPE ...>). JUnit reports never "
            "need one, and entity expansion and external entities are not allowed."
        ) from None
    except EntitiesForbidden:
        raise ReportError(f"{shown}: refused: the file declares XML entities.") from None
    except DefusedXmlException as exc:
        raise ReportError(f"{shown}: refused: {exc}") from None
    except ParseError as exc:
        raise ReportError(f"{shown}: not well-formed XML: {exc}") from None
    except OSError as exc:
        raise ReportError(f"{shown}: cannot read it: {exc.strerror or exc}") from None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _message(element: Element) -> str:
    message = (element.get("message") or "").strip()
    if message:
        return message
    for line in _text(element).splitlines():
        if line.strip():
            return line.strip()
    return ""


def _suite_path(classname: str, suites: list[SuiteInfo]) -> list[str]:
    if classname.strip() not in PLACEHOLDER_CLASSNAMES:
        separator = "/" if "/" in classname else "."
        return [part for part in classname.split(separator) if part.strip()]
    return [suite.name for suite in suites if suite.name.strip()]


def _resolve(base: Path, reference: str) -> Path:
    candidate = Path(reference.strip())
    if candidate.is_absolute():
        return candidate
    beside = base / candidate
    return candidate if not beside.exists() and candidate.exists() else beside


def _outcomes(
    case: Element,
    suites: list[SuiteInfo],
    shown: str,
    base: Path,
    ordinal: int,
    error_status: str,
) -> Iterator[TestOutcome]:
    name = (case.get("name") or "").strip() or "(unnamed test)"
    classname = case.get("classname") or ""
    failures: list[Element] = []
    errors: list[Element] = []
    skipped: Element | None = None
    stdout: list[str] = []
    stderr: list[str] = []
    case_refs: list[str] = []
    attachment_paths: list[str] = []
    reruns: list[tuple[str, Element]] = []
    for child in case:
        tag = _local(child.tag)
        if tag == "failure":
            failures.append(child)
        elif tag == "error":
            errors.append(child)
        elif tag == "skipped":
            skipped = child
        elif tag == "system-out":
            stdout.append(child.text or "")
        elif tag == "system-err":
            stderr.append(child.text or "")
        elif tag == "properties":
            for prop in child:
                if _local(prop.tag) != "property":
                    continue
                key = re.sub(r"[\s_\-]", "", (prop.get("name") or "").lower())
                value = prop.get("value")
                value = (prop.text or "") if value is None else value
                if key in CASE_PROPERTIES and value.strip():
                    case_refs.append(value)
                elif key.startswith("attachment") and value.strip():
                    attachment_paths.append(value)
        elif tag in RERUNS:
            reruns.append((RERUNS[tag] or error_status, child))
    out_text = "".join(stdout).strip() or None
    err_text = "".join(stderr).strip() or None
    for text in (out_text, err_text):
        attachment_paths.extend(ATTACHMENT_MARK.findall(text or ""))
    suite_path = _suite_path(classname, suites)
    identity = "::".join([*suite_path, name])
    suite_stamp = suites[-1].timestamp if suites else ""
    case_stamp = case.get("timestamp") or ""
    start = epoch(case_stamp or suite_stamp)
    shared = TestOutcome(
        source=shown,
        identity=identity,
        title=name,
        status="passed",
        suite_path=suite_path,
        case_refs=case_refs,
        signature=identity,
    )
    for index, (status, rerun) in enumerate(reruns):
        yield replace(
            shared,
            status=status,
            message=_message(rerun) or None,
            stacktrace=_text(rerun.find("stackTrace")) or _text(rerun) or None,
            stdout=_text(rerun.find("system-out")) or None,
            stderr=_text(rerun.find("system-err")) or None,
            start_time=start,
            fingerprint=f"{suite_stamp}|{case_stamp}|rerun {index}",
            attempt=index,
            ordinal=ordinal,
        )
    if failures:
        status, problems = "failed", failures + errors
    elif errors:
        status, problems = error_status, errors
    elif skipped is not None:
        status, problems = "skipped", [skipped]
    else:
        status, problems = "passed", []
    messages = [m for m in (_message(p) for p in problems) if m]
    traces = [t for t in (_text(p) for p in problems if p is not skipped) if t]
    time_ms = duration_ms(case.get("time"))
    yield replace(
        shared,
        status=status,
        duration_ms=time_ms,
        start_time=start,
        end_time=start + time_ms / 1000 if start is not None and time_ms is not None else None,
        message="\n".join(dict.fromkeys(messages)) or None,
        stacktrace="\n\n".join(traces) or None,
        stdout=out_text,
        stderr=err_text,
        attachments=[
            Attachment(name=Path(p.strip()).name, path=_resolve(base, p))
            for p in dict.fromkeys(attachment_paths)
        ],
        fingerprint=f"{suite_stamp}|{case_stamp}|{case.get('time') or ''}|{status}",
        attempt=len(reruns),
        ordinal=ordinal,
    )
