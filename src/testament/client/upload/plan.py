"""The first pass over the reports: what matches which case, before anything is written.

Only counts and a few examples are kept (results per combination of cases, the first
unmatched tests), so reading a report of any size here costs little memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from testament.client.http import ApiClient, ApiError
from testament.client.upload.markers import CaseMarkers
from testament.client.upload.model import TestOutcome
from testament.client.upload.sources import Report

EXAMPLES = 20
# Up to this many distinct cases are checked one by one; more, by listing the project's cases.
PROBE_LIMIT = 50


@dataclass
class Unmatched:
    label: str
    foreign: list[str]


@dataclass
class Survey:
    total: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    by_metadata: int = 0
    by_name: int = 0
    unmatched: int = 0
    unmatched_examples: list[Unmatched] = field(default_factory=list)
    retries: int = 0  # executions after the first of the same test
    # How many results name each combination of cases, and the first of them.
    combinations: Counter[tuple[int, ...]] = field(default_factory=Counter)
    combination_example: dict[tuple[int, ...], str] = field(default_factory=dict)
    attachments: int = 0
    attachment_bytes: int = 0
    missing_cases: set[int] = field(default_factory=set)  # filled by `check_cases`

    @property
    def numbers(self) -> set[int]:
        return {n for combination in self.combinations for n in combination}

    def results_per_case(self) -> Counter[int]:
        per_case: Counter[int] = Counter()
        for combination, count in self.combinations.items():
            for number in combination:
                per_case[number] += count
        return per_case

    @property
    def stale(self) -> int:
        """Results naming a case that does not exist (a stale or mistyped marker)."""
        return sum(
            count
            for combination, count in self.combinations.items()
            if self.missing_cases.intersection(combination)
        )

    def stale_examples(self) -> list[str]:
        examples = []
        for combination, label in self.combination_example.items():
            missing = sorted(self.missing_cases.intersection(combination))
            if missing:
                examples.append(f"{label}  (names missing case {', '.join(map(str, missing))})")
        return examples[:EXAMPLES]

    @property
    def matched(self) -> int:
        return self.by_metadata + self.by_name - self.stale


def survey(
    reports: Sequence[Report],
    markers: CaseMarkers,
    error_status: str,
    on_outcome: Callable[[TestOutcome], None] | None = None,
) -> Survey:
    found = Survey()
    for report in reports:
        for outcome in report.outcomes(error_status):
            _count(found, markers, outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return found


def _count(found: Survey, markers: CaseMarkers, outcome: TestOutcome) -> None:
    found.total += 1
    found.statuses[outcome.status] += 1
    if outcome.attempt:
        found.retries += 1
    for attachment in outcome.all_attachments():
        found.attachments += 1
        found.attachment_bytes += attachment.size() or 0
    match = markers.match(outcome)
    if not match.numbers:
        found.unmatched += 1
        if len(found.unmatched_examples) < EXAMPLES:
            found.unmatched_examples.append(
                Unmatched(f"{outcome.source}: {outcome.title}", match.foreign)
            )
        return
    if match.source == "metadata":
        found.by_metadata += 1
    else:
        found.by_name += 1
    combination = tuple(match.numbers)
    found.combinations[combination] += 1
    found.combination_example.setdefault(combination, f"{outcome.source}: {outcome.title}")


def check_cases(client: ApiClient, code: str, numbers: Iterable[int]) -> set[int]:
    """Which of the case ids do not exist in the project."""
    wanted = set(numbers)
    if not wanted:
        return set()
    if len(wanted) <= PROBE_LIMIT:

        def exists(number: int) -> bool:
            try:
                client.request("GET", f"/v1/case/{code}/{number}")
            except ApiError as exc:
                if exc.status == 404:
                    return False
                raise
            return True

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = dict(zip(sorted(wanted), pool.map(exists, sorted(wanted)), strict=True))
        return {number for number, present in answers.items() if not present}
    present = {int(case["id"]) for case in client.pages(f"/v1/case/{code}")}
    return wanted - present
