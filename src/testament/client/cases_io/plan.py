"""Match the file's rows with the project's cases and decide what to create, update or leave.

The key that makes an import idempotent:

1. the `id` column, when a row has one and the project has a live case with that id (Qase's
   "replace matching test cases"); a row whose id the project lacks is created under that id, so
   an export imported into an empty project keeps its ids (and the `CODE-12` markers in test names
   keep pointing at the right cases);
2. otherwise the suite path and the title, read from the project through the API. No hidden key is
   stored anywhere (no `import:<hash>` tag): what makes two cases "the same" is what a person sees,
   it survives edits made in the web UI, and any file (a Qase export, a hand-written sheet) works
   without preparation. The cost: a row without an id whose title or suite changed is a new case;
   keep the id column to rename or move cases. A file without a suite column matches by title.

`--match title` skips step 1 (for a file exported from another project, whose ids mean nothing
here). Ambiguities (two rows, or two cases, with one key) are errors, found before any write.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from testament.client.cases_io.columns import ENUM_COLUMNS
from testament.client.cases_io.reader import CaseRow, ParsedFile, RowError, join_path
from testament.client.cases_io.steps import Step, flatten, steps_from_api

Path = tuple[str, ...]


class SuiteTree:
    """The project's suites by path (`("Auth", "Login")`); the lowest id wins among twins."""

    def __init__(self, suites: Iterable[dict[str, Any]]) -> None:
        self.parents: dict[int, int | None] = {}
        self.titles: dict[int, str] = {}
        for suite in suites:
            self.parents[int(suite["id"])] = suite.get("parent_id")
            self.titles[int(suite["id"])] = str(suite["title"])
        self.ids: dict[Path, int] = {}
        self._paths: dict[int, Path] = {}
        for suite_id in sorted(self.titles):
            self.ids.setdefault(self.path(suite_id), suite_id)

    def path(self, suite_id: int | None) -> Path:
        if suite_id is None:
            return ()
        if suite_id not in self._paths:
            titles: list[str] = []
            current: int | None = suite_id
            seen: set[int] = set()
            while current is not None and current in self.titles and current not in seen:
                seen.add(current)
                titles.append(self.titles[current])
                current = self.parents.get(current)
            self._paths[suite_id] = tuple(reversed(titles))
        return self._paths[suite_id]

    def add(self, path: Path, suite_id: int, parent_id: int | None) -> None:
        self.titles[suite_id] = path[-1]
        self.parents[suite_id] = parent_id
        self._paths[suite_id] = path
        self.ids.setdefault(path, suite_id)


@dataclass
class ProjectState:
    """What the project holds now: its suites and live cases (as the API answers them)."""

    suites: SuiteTree
    cases: dict[int, dict[str, Any]]


@dataclass
class PlannedCreate:
    row: CaseRow
    body: dict[str, Any]  # without suite_id: the suite may not exist yet
    suite: Path | None
    id: int | None


@dataclass
class PlannedUpdate:
    row: CaseRow
    case_id: int
    body: dict[str, Any]
    suite: Path | None  # set when the case moves
    changes: list[str]


@dataclass
class Plan:
    suites: list[Path] = field(default_factory=list)
    creates: list[PlannedCreate] = field(default_factory=list)
    updates: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[tuple[CaseRow, int]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.suites) + len(self.creates) + len(self.updates)


def _key(row: CaseRow) -> tuple[Path | None, str]:
    return (row.suite, row.title)


def file_errors(parsed: ParsedFile, *, use_ids: bool) -> list[RowError]:
    """Rows that clash with each other: one id twice, or one suite and title twice."""
    errors: list[RowError] = []
    by_id: dict[int, int] = {}
    by_key: dict[tuple[Path | None, str], int] = {}
    for row in parsed.rows:
        if use_ids and row.id is not None:
            if row.id in by_id:
                errors.append(
                    RowError(
                        row.row, parsed.label("id"), f"id {row.id} is also on row {by_id[row.id]}"
                    )
                )
            by_id.setdefault(row.id, row.row)
            continue
        key = _key(row)
        if key in by_key:
            where = f"suite {join_path(row.suite)!r}" if row.suite else "no suite"
            errors.append(
                RowError(
                    row.row,
                    None,
                    f"same title and {where} as row {by_key[key]}: the second would match the "
                    "first's case on the next import (give each row an id, or other titles)",
                )
            )
        by_key.setdefault(key, row.row)
    return errors


def make_plan(
    parsed: ParsedFile, state: ProjectState, *, use_ids: bool, blocked_ids: frozenset[int]
) -> Plan:
    """What writing the file means now; `blocked_ids` are ids the server refused to reuse."""
    plan = Plan()
    tree = state.suites
    by_key: dict[tuple[Path | None, str], list[int]] = defaultdict(list)
    by_title: dict[str, list[int]] = defaultdict(list)
    for number in sorted(state.cases):
        case = state.cases[number]
        by_key[(tree.path(case.get("suite_id")), str(case["title"]))].append(number)
        by_title[str(case["title"])].append(number)

    claimed: dict[int, int] = {}
    matches: dict[int, int] = {}
    if use_ids:
        for index, row in enumerate(parsed.rows):
            if row.id is not None and row.id in state.cases:
                matches[index] = row.id
                claimed[row.id] = row.row
    for index, row in enumerate(parsed.rows):
        if index in matches:
            continue
        pool = by_key[_key(row)] if row.suite is not None else by_title[row.title]
        candidates = [number for number in pool if number not in claimed]
        if len(candidates) > 1:
            listed = ", ".join(str(c) for c in candidates)
            plan.errors.append(
                RowError(
                    row.row,
                    None,
                    f"{len(candidates)} cases of the project have this title"
                    + (" and suite" if row.suite is not None else "")
                    + f" (ids {listed}): put the id of the one to update in an id column",
                )
            )
        elif candidates:
            matches[index] = candidates[0]
            claimed[candidates[0]] = row.row

    needed: list[Path] = list(parsed.suites)
    for index, row in enumerate(parsed.rows):
        matched = matches.get(index)
        if matched is None:
            explicit = row.id if use_ids and row.id not in blocked_ids else None
            plan.creates.append(PlannedCreate(row, _create_body(row), row.suite, explicit))
            if row.suite:
                needed.append(row.suite)
            continue
        body, changes, moved = _update_body(row, state.cases[matched], tree, parsed.step_columns)
        if not changes:
            plan.unchanged.append((row, matched))
            continue
        if "steps_type" in body and "steps" not in body:
            plan.errors.append(
                RowError(
                    row.row,
                    parsed.label("steps_type"),
                    f"case {matched} has {state.cases[matched].get('steps_type')} steps: to change "
                    "their type, give the steps too (a steps_actions column)",
                )
            )
            continue
        plan.updates.append(
            PlannedUpdate(row, matched, body, row.suite if moved else None, changes)
        )
        if moved and row.suite:
            needed.append(row.suite)
    # Rows with an id first: they move the project's counter past their ids, so the cases
    # numbered by the server afterwards cannot take an id another row asks for.
    plan.creates.sort(key=lambda create: create.id is None)
    plan.suites = _missing_suites(needed, tree)
    return plan


def _missing_suites(paths: Sequence[Path], tree: SuiteTree) -> list[Path]:
    missing: dict[Path, None] = {}
    for path in paths:
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in tree.ids:
                missing.setdefault(prefix, None)
    return sorted(missing, key=len)


def _create_body(row: CaseRow) -> dict[str, Any]:
    body: dict[str, Any] = {"title": row.title}
    body.update({name: value for name, value in row.text.items() if value is not None})
    body.update(row.enums)
    if row.tags:
        body["tags"] = row.tags
    gherkin = row.steps_type == "gherkin"
    if row.steps_type:
        body["steps_type"] = row.steps_type
    if row.steps:
        body["steps"] = [step.body(gherkin=gherkin) for step in row.steps]
    return body


def _update_body(
    row: CaseRow,
    case: dict[str, Any],
    tree: SuiteTree,
    step_columns: frozenset[str],
) -> tuple[dict[str, Any], list[str], bool]:
    """(PATCH body, changed columns, whether the case moves to another suite)."""
    body: dict[str, Any] = {}
    if row.title != case.get("title"):
        body["title"] = row.title
    moved = row.suite is not None and row.suite != tree.path(case.get("suite_id"))
    for name, value in row.text.items():
        if value != (case.get(name) or None):
            body[name] = value
    for name in ENUM_COLUMNS:
        if name in row.enums and row.enums[name] != case.get(name):
            body[name] = row.enums[name]
    if row.tags is not None:
        current = [str(tag.get("title")) for tag in case.get("tags") or []]
        if sorted(set(current)) != sorted(set(row.tags)):
            body["tags"] = row.tags

    current_type = str(case.get("steps_type") or "classic")
    wanted_type = row.steps_type or current_type
    if row.steps is not None:
        current_steps = steps_from_api(case.get("steps") or [])
        wanted = _carry_over(row.steps, current_steps, step_columns)
        if wanted_type == "gherkin" and row.steps_type is None:
            wanted = [Step(step.action) for step in wanted]
        if [s.key() for s in wanted] != [s.key() for s in current_steps] or (
            wanted_type != current_type
        ):
            body["steps"] = [s.body(gherkin=wanted_type == "gherkin") for s in wanted]
    if wanted_type != current_type:
        body["steps_type"] = wanted_type
    changes = [*body, *(["suite"] if moved else [])]
    return body, changes, moved


def _carry_over(
    wanted: list[Step], current: list[Step], step_columns: frozenset[str]
) -> list[Step]:
    """A file without an expected results (or data) column keeps the case's, step by step."""
    keep_results = "steps_result" not in step_columns
    keep_data = "steps_data" not in step_columns
    if not (keep_results or keep_data):
        return wanted
    wanted = copy.deepcopy(wanted)
    existing = flatten(current)
    for number, step in flatten(wanted).items():
        before = existing.get(number)
        if before is None:
            continue
        if keep_results:
            step.expected_result = before.expected_result
        if keep_data:
            step.data = before.data
    return wanted
