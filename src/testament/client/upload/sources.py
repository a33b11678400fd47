"""From the FILES_OR_DIRS on the command line to the reports to read, per format."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from testament.client.upload import allure, junit, playwright, qase_report
from testament.client.upload.model import ReportError, TestOutcome

FORMATS = ("junit", "allure", "playwright", "qase")


@dataclass(frozen=True)
class Report:
    """One report to read: a file (JUnit, Playwright) or a folder of result files."""

    format: str
    path: Path
    shown: str  # as the user knows it: relative to the working directory when inside it
    only: tuple[Path, ...] = field(default=())  # for folders: just these result files

    @property
    def folder(self) -> Path:
        """The folder its attachments must lie in (unless the user allows others)."""
        return self.path if self.path.is_dir() else self.path.parent

    def outcomes(self, error_status: str) -> Iterator[TestOutcome]:
        if self.format == "junit":
            return junit.read_junit(self.path, self.shown, error_status)
        if self.format == "playwright":
            return playwright.read_playwright(self.path, self.shown, error_status)
        only = list(self.only) or None
        if self.format == "allure":
            return allure.read_allure(self.path, self.shown, error_status, only)
        return qase_report.read_qase_report(self.path, self.shown, error_status, only)


def shown_path(path: Path) -> str:
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


def _files_in(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file())


def find_reports(format_name: str, arguments: Sequence[Path]) -> list[Report]:
    """The reports the arguments name, each once, in the order given; a ReportError names
    an argument that is missing or holds nothing of the format."""
    if format_name not in FORMATS:
        raise ReportError(f"unknown format {format_name!r}; use one of {', '.join(FORMATS)}")
    reports: list[Report] = []
    seen: set[tuple[Path, tuple[Path, ...]]] = set()

    def add(path: Path, only: tuple[Path, ...] = ()) -> None:
        key = (path.resolve(), tuple(p.resolve() for p in only))
        if key not in seen:
            seen.add(key)
            reports.append(Report(format_name, path, shown_path(path), only))

    for argument in arguments:
        if not argument.exists():
            raise ReportError(f"{argument}: no such file or folder.")
        if format_name in ("junit", "playwright"):
            if argument.is_file():
                add(argument)
                continue
            found = _files_in(argument, "*.xml" if format_name == "junit" else "*.json")
            if format_name == "junit":
                # A reports folder may hold other XML (coverage.xml): only JUnit files count.
                found = [path for path in found if junit.is_junit(path)]
            if not found:
                kind = "JUnit XML (*.xml)" if format_name == "junit" else "JSON (*.json)"
                raise ReportError(f"{argument}: holds no {kind} files.")
            for path in found:
                add(path)
        elif format_name == "allure":
            if argument.is_file():
                add(argument.parent, (argument,))
            elif allure.result_files(argument):
                add(argument)
            else:
                raise ReportError(
                    f"{argument}: holds no Allure results (*-result.json): give the folder "
                    "allure wrote (--alluredir), e.g. allure-results/."
                )
        else:
            if argument.is_file():
                add(argument.parent, (argument,))
            elif qase_report.result_files(argument):
                add(argument)
            else:
                raise ReportError(
                    f"{argument}: holds no Qase Report results: give the folder the reporter "
                    "wrote (QASE_REPORT_CONNECTION_PATH, build/qase-report by default)."
                )
    return reports


def display_names(reports: Sequence[Report]) -> list[str]:
    return [report.shown + (os.sep if report.path.is_dir() else "") for report in reports]
