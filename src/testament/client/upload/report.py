"""What the upload tells the user: the plan (`--dry-run`), the summary, the guidance.

Human text goes to stderr (the plan of a dry run to stdout); with `--output json` stdout holds
one JSON document and nothing else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import orjson

from testament.client.config import ClientConfig
from testament.client.upload.attachments import AttachmentTally
from testament.client.upload.plan import EXAMPLES, Survey
from testament.client.upload.runs import run_url
from testament.client.upload.sources import Report, display_names

HOW_TO_MATCH = """\
Name the case in each test:
  - put the case id in the test's name: {code}-12 (or {lower}12, {lower}_12) anywhere in it;
  - or give it in the report: a QaseID or test_id property (JUnit), an allure.testcase link or
    an as_id / qase_id label (Allure), a QaseID annotation (Playwright), qase.id() (Qase);
  - or run again with --create-cases to create the missing cases (filed under the suite path
    the report gives: classname, Allure suite labels, file path; reused on the next upload),
  - or with --ignore-unmatched to skip them."""


@dataclass
class Summary:
    project: str
    survey: Survey
    reports: list[Report]
    dry_run: bool
    batch_size: int
    run_id: int | None = None
    run_title: str | None = None
    run_url: str | None = None
    run_created: bool = False
    run_reused: bool = False
    delivered: int = 0
    skipped: int = 0
    failed: int = 0
    filed_by_title: int = 0  # sent without a case id: the server finds or creates the case
    batches: int = 0
    failures: list[str] = field(default_factory=list)
    attachments: AttachmentTally = field(default_factory=AttachmentTally)
    complete_requested: bool = False
    completed: bool = False
    stopped: str | None = None

    def set_run(
        self, run_id: int, title: str, config: ClientConfig, *, created: bool, reused: bool
    ) -> None:
        self.run_id, self.run_title = run_id, title
        self.run_url = run_url(config, self.project, run_id)
        self.run_created, self.run_reused = created, reused

    def duplicates(self) -> dict[str, int]:
        per_case = self.survey.results_per_case()
        return {f"{self.project}-{n}": count for n, count in sorted(per_case.items()) if count > 1}

    def as_json(self, error: str | None = None) -> dict[str, Any]:
        survey = self.survey
        data: dict[str, Any] = {
            "project": self.project,
            "run_id": self.run_id,
            "run_url": self.run_url,
            "run_title": self.run_title,
            "run_created": self.run_created,
            "run_reused": self.run_reused,
            "dry_run": self.dry_run,
            "completed": self.completed,
            "reports": display_names(self.reports),
            "results": {
                "total": survey.total,
                "delivered": self.delivered,
                "skipped": self.skipped,
                "failed": self.failed,
                "matched": survey.matched,
                "unmatched": survey.unmatched,
                "missing_cases": survey.stale,
                "filed_by_title": self.filed_by_title,
                "retries": survey.retries,
                "statuses": dict(sorted(survey.statuses.items())),
            },
            "batches": self.batches,
            "attachments": {
                "uploaded": self.attachments.uploaded,
                "reused": self.attachments.reused,
                "bytes": self.attachments.bytes_sent,
                "too_large": self.attachments.too_large,
                "missing": self.attachments.missing,
                "refused": self.attachments.refused,
                "failed": self.attachments.failed,
            },
            "duplicates": self.duplicates(),
            "unmatched": [example.label for example in survey.unmatched_examples],
            "missing_cases": sorted(survey.missing_cases),
            "failures": self.failures,
            "stopped": self.stopped,
            "error": error,
        }
        return data


def _json(data: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"


def _statuses(survey: Survey) -> str:
    return ", ".join(f"{status} {n}" for status, n in sorted(survey.statuses.items()))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def guidance(summary: Summary, problem: str, list_unmatched: bool) -> str:
    survey = summary.survey
    lines = [f"error: {problem} in project {summary.project}, so nothing was sent."]
    if list_unmatched and survey.unmatched_examples:
        lines.append("Tests that match no case:")
        for example in survey.unmatched_examples:
            note = (
                f"  (names {', '.join(example.foreign)}: another project's)"
                if example.foreign
                else ""
            )
            lines.append(f"  {example.label}{note}")
        if survey.unmatched > len(survey.unmatched_examples):
            lines.append(f"  ... and {survey.unmatched - len(survey.unmatched_examples)} more")
    stale = survey.stale_examples()
    if stale:
        lines.append("Tests that name a case that does not exist (deleted, or a typo):")
        lines.extend(f"  {example}" for example in stale)
    lines.append(HOW_TO_MATCH.format(code=summary.project, lower=summary.project.lower()))
    return "\n".join(lines)


def _run_line(summary: Summary) -> str:
    if summary.run_id is None:
        return f'would create run "{summary.run_title}"'
    how = (
        "created"
        if summary.run_created
        else "reused: open, same title"
        if summary.run_reused
        else "given"
    )
    return f'run {summary.run_id} "{summary.run_title}" ({how}): {summary.run_url}'


def print_plan(summary: Summary, blocked: str | None, output: str) -> None:
    """The dry run's plan: on stdout, as text or JSON."""
    if output == "json":
        data = summary.as_json(error=blocked)
        data["would_create_run"] = summary.run_id is None
        _json(data)
        return
    survey = summary.survey
    duplicates = summary.duplicates()
    lines = [
        f"Plan for project {summary.project} (dry run: nothing was written)",
        f"  reports:     {', '.join(display_names(summary.reports))}",
        f"  results:     {survey.total} ({_statuses(survey) or 'none'})",
        f"  matched:     {survey.matched} to {len(survey.numbers - survey.missing_cases)} cases "
        f"({survey.by_name} by a marker in the name, {survey.by_metadata} by report metadata)",
        f"  unmatched:   {survey.unmatched}",
        f"  missing:     {survey.stale} results name cases that do not exist"
        + (
            f" ({', '.join(f'{summary.project}-{n}' for n in sorted(survey.missing_cases))})"
            if survey.missing_cases
            else ""
        ),
        f"  duplicates:  {len(duplicates)} cases get more than one result"
        + (
            f" ({', '.join(f'{k} x{v}' for k, v in list(duplicates.items())[:EXAMPLES])})"
            if duplicates
            else ""
        )
        + f"; {survey.retries} retries",
        f"  run:         {_run_line(summary)}",
        f"  batches:     {summary.batches} (up to {summary.batch_size} results each)",
        f"  attachments: {summary.attachments.uploaded} files, {_size(summary.attachments.bytes_sent)}"
        f"; {len(summary.attachments.too_large)} too large, {len(summary.attachments.missing)} missing",
        f"  would send:  {summary.delivered} results, skip {summary.skipped}"
        + (
            f", {summary.filed_by_title} filed under their suite path by title"
            if summary.filed_by_title
            else ""
        ),
    ]
    for path in summary.attachments.too_large[:EXAMPLES]:
        lines.append(f"  too large:   {path}")
    for path in summary.attachments.missing[:EXAMPLES]:
        lines.append(f"  missing:     {path}")
    for path in summary.attachments.refused[:EXAMPLES]:
        lines.append(f"  refused:     {path} (outside the report's folder: --attachments-root)")
    if survey.unmatched_examples:
        lines.append("  unmatched tests:")
        lines.extend(f"    {example.label}" for example in survey.unmatched_examples)
    if blocked:
        lines.append(f"A real upload would stop here: {blocked}.")
        lines.append(HOW_TO_MATCH.format(code=summary.project, lower=summary.project.lower()))
    sys.stdout.write("\n".join(lines) + "\n")


def print_json(summary: Summary, error: str | None = None) -> None:
    _json(summary.as_json(error=error))


def print_summary(summary: Summary, output: str, error: str | None = None) -> None:
    """The end of an upload: text on stderr, and with `output` json the JSON on stdout."""
    if output == "json":
        print_json(summary, error)
    if error:
        return
    tally = summary.attachments
    lines = [
        f"Project {summary.project}, {_run_line(summary)}",
        f"Results: {summary.delivered} delivered, {summary.skipped} skipped, "
        f"{summary.failed} failed (of {summary.survey.total})",
    ]
    if summary.filed_by_title:
        lines.append(
            f"  {summary.filed_by_title} sent without a case id: filed under their suite path"
        )
    if (
        tally.uploaded
        or tally.reused
        or tally.too_large
        or tally.missing
        or tally.refused
        or tally.failed
    ):
        lines.append(
            f"Attachments: {tally.uploaded} uploaded ({_size(tally.bytes_sent)}), {tally.reused} reused, "
            f"{len(tally.too_large)} too large, {len(tally.missing)} missing, "
            f"{len(tally.refused)} outside the report's folder, {tally.failed} failed"
        )
    if tally.refused:
        lines.append(
            "  not uploaded: "
            + ", ".join(tally.refused[:EXAMPLES])
            + "; allow their folder with --attachments-root DIR"
        )
    if summary.stopped:
        lines.append(f"Stopped: {summary.stopped}")
    if summary.failures:
        lines.append("Not delivered:")
        lines.extend(f"  {failure}" for failure in summary.failures)
    if summary.failed:
        lines.append(
            f"{summary.failed} results were not delivered"
            + ("; the run was not completed" if summary.complete_requested else "")
            + ". Run the same command again: what was delivered is not stored twice."
        )
    elif summary.completed:
        lines.append("The run is completed.")
    sys.stderr.write("\n".join(lines) + "\n")
