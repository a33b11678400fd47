"""Which cases a test names: markers in its name, or references in the report's metadata.

Markers are case ids written after a project code: `DEMO-12` anywhere in the name, in any
letter case, and the hyphenless forms test functions are given: `test_demo_12_login`,
`test_demo12`, Go's `TestDemo12Login` (a code starting a new word). Qase's `(Qase ID: 12,13)`
title suffix counts too. Every code-like token is read; the current project's are used, and
another project's (`JIRA-7`) only mentioned when nothing else matches.

Metadata wins over the name: Qase Report's per-project ids for this project, then references
(`QaseID` properties, Allure TMS links and labels, Playwright annotations), which may be bare
numbers ("12", "12, 13") or markers ("DEMO-12", a URL ending in one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from testament.client.upload.model import TestOutcome

NUMBER_MAX = 2**31 - 1
# Another project's marker: an upper-case code, a hyphen, a number.
ANY_MARKER = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2,10})-(\d{1,10})(?!\d)")
QASE_ID = re.compile(r"qase[ _-]?ids?\s*[:=]\s*(\d+(?:\s*,\s*\d+)*)", re.IGNORECASE)
BARE_NUMBERS = re.compile(r"^\s*#?\d{1,10}(?:\s*[,;]\s*#?\d{1,10})*\s*$")


@dataclass
class CaseMatch:
    numbers: list[int] = field(default_factory=list)  # this project's case ids, in order
    source: str = ""  # where they came from: "metadata", "name", or "" (unmatched)
    foreign: list[str] = field(default_factory=list)  # other projects' markers seen


class CaseMarkers:
    """Finds the case ids a test names, for one project."""

    def __init__(self, project_code: str) -> None:
        self.code = project_code.upper()
        code = re.escape(self.code)
        # Preceded by no letter or digit, or starting a new word (`TestDemo12`); followed by
        # `-`, `_` or nothing, then the number.
        self._own = re.compile(
            rf"(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))(?i:{code})[-_]?(\d{{1,10}})(?!\d)"
        )

    def in_text(self, text: str) -> list[int]:
        numbers = [int(n) for n in self._own.findall(text)]
        for group in QASE_ID.findall(text):
            numbers.extend(int(n) for n in re.findall(r"\d+", group))
        return _valid(numbers)

    def in_reference(self, reference: str) -> list[int]:
        """A metadata value: markers of this project, or bare numbers."""
        found = self.in_text(reference)
        if found:
            return found
        if BARE_NUMBERS.match(reference):
            return _valid([int(n) for n in re.findall(r"\d+", reference)])
        return []

    def foreign(self, text: str) -> list[str]:
        return [
            f"{code}-{number}" for code, number in ANY_MARKER.findall(text) if code != self.code
        ]

    def match(self, outcome: TestOutcome) -> CaseMatch:
        mapped = outcome.project_refs.get(self.code)
        if mapped:
            return CaseMatch(_valid(mapped), "metadata")
        numbers = [n for ref in outcome.case_refs for n in self.in_reference(ref)]
        if numbers:
            return CaseMatch(_valid(numbers), "metadata")
        numbers = self.in_text(outcome.title)
        if numbers:
            return CaseMatch(numbers, "name")
        foreign = [
            *(f"{code}-{n}" for code, ids in outcome.project_refs.items() for n in ids),
            *(marker for ref in outcome.case_refs for marker in self.foreign(ref)),
            *self.foreign(outcome.title),
        ]
        return CaseMatch([], "", list(dict.fromkeys(foreign)))


def _valid(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(n for n in numbers if 1 <= n <= NUMBER_MAX))
