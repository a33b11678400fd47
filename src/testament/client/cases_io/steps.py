"""Step cells, the way Qase's CSV export writes them, and back.

A case's steps are three cells: actions, expected results and data. Each holds numbered lines
(`1. Open the page`, `2. Click Login`), and the three are aligned by number: `2. ...` in the
expected results cell belongs to step 2. Nested steps number as `1.1.`, `1.2.`. A step whose text
spans lines, or starts with a quote, is written as a JSON string (`1. "first line\\nsecond"`),
as Qase's V2 format does, so every line of a cell that starts with a number starts a step. A line
that does not (in a hand-written file) continues the step above.

Cells without numbers are one step per line, aligned by line. For gherkin cases
(`steps_type` gherkin) an unnumbered cell is one scenario.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_STEPS = 1000
MAX_DEPTH = 5
NUMBERED = re.compile(r"^\s*(\d+(?:\.\d+)*)[.)](?:\s+|$)(.*)$")


@dataclass
class Step:
    action: str
    expected_result: str | None = None
    data: str | None = None
    steps: list[Step] = field(default_factory=list)

    def key(self) -> tuple[Any, ...]:
        """What comparing two steps looks at."""
        return (self.action, self.expected_result, self.data, tuple(s.key() for s in self.steps))

    def body(self, *, gherkin: bool) -> dict[str, Any]:
        """The step as the API's `TestStep.create`."""
        if gherkin:
            return {"value": self.action}
        body: dict[str, Any] = {"action": self.action}
        if self.expected_result is not None:
            body["expected_result"] = self.expected_result
        if self.data is not None:
            body["data"] = self.data
        if self.steps:
            body["steps"] = [s.body(gherkin=False) for s in self.steps]
        return body


class StepError(ValueError):
    """A step cell that cannot be read; `column` says which of the three cells."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class Entry:
    number: tuple[int, ...]
    text: str
    quoted: bool = False


def _label(number: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in number)


def _decode(rest: str) -> tuple[str, bool]:
    """The text after a step number: a JSON string literal is decoded (Qase's V2 cells)."""
    stripped = rest.strip()
    if len(stripped) >= 2 and stripped[0] == '"' and stripped[-1] == '"':
        try:
            value = json.loads(stripped)
        except ValueError:
            return stripped, False
        if isinstance(value, str):
            return value, True
    return stripped, False


def split_cell(cell: str) -> tuple[bool, list[Entry]]:
    """(numbered, entries) of one cell; unnumbered entries are numbered by line, blanks kept."""
    lines = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        return False, []
    if NUMBERED.match(first) is None:
        return False, [Entry((i,), line.strip()) for i, line in enumerate(lines, start=1)]
    entries: list[Entry] = []
    for line in lines:
        match = NUMBERED.match(line)
        if match is not None:
            text, quoted = _decode(match.group(2))
            number = tuple(int(n) for n in match.group(1).split("."))
            entries.append(Entry(number, text, quoted))
        elif entries and line.strip():
            entries[-1].text = f"{entries[-1].text}\n{line.strip()}"
    return True, entries


def parse_steps(
    actions: str, results: str, data: str, *, gherkin: bool, columns: Sequence[str]
) -> list[Step]:
    """The steps of one row; `columns` are the three cells' header labels, for errors."""
    actions_column, results_column, data_column = columns
    if gherkin:
        for cell, column in ((results, results_column), (data, data_column)):
            if cell.strip():
                raise StepError(column, "gherkin steps have only the scenario text")
        numbered, entries = split_cell(actions)
        if not numbered:
            text = actions.replace("\r\n", "\n").strip()
            return [Step(text)] if text else []
        steps = [Step(e.text) for e in entries]
        if any(not s.action.strip() for s in steps):
            raise StepError(actions_column, "a gherkin step has no scenario text")
        return steps

    numbered, entries = split_cell(actions)
    order: list[tuple[tuple[int, ...], Step]] = []
    by_number: dict[tuple[int, ...], Step] = {}
    roots: list[Step] = []
    for entry in entries:
        if entry.number in by_number:
            raise StepError(actions_column, f"step {_label(entry.number)} is given twice")
        step = Step(entry.text)
        by_number[entry.number] = step
        order.append((entry.number, step))
        if numbered and len(entry.number) > 1:
            parent = by_number.get(entry.number[:-1])
            if parent is None:
                raise StepError(
                    actions_column,
                    f"step {_label(entry.number)} comes before step {_label(entry.number[:-1])}",
                )
            parent.steps.append(step)
        else:
            roots.append(step)

    for cell, column, attribute in (
        (results, results_column, "expected_result"),
        (data, data_column, "data"),
    ):
        cell_numbered, cell_entries = split_cell(cell)
        seen: set[tuple[int, ...]] = set()
        for index, entry in enumerate(cell_entries):
            if not entry.text:
                continue  # Qase writes `N. ""` for a step without one
            if cell_numbered or not numbered:
                if entry.number in seen:
                    raise StepError(column, f"step {_label(entry.number)} is given twice")
                seen.add(entry.number)
                target = by_number.get(entry.number)
                label = _label(entry.number)
            else:
                # Unnumbered lines against numbered actions: line i is the i-th step listed.
                target = order[index][1] if index < len(order) else None
                label = _label(order[index][0]) if index < len(order) else str(index + 1)
            if target is None or not target.action:
                what = "an expected result" if attribute == "expected_result" else "data"
                raise StepError(column, f"step {label} has {what} but no action")
            setattr(target, attribute, entry.text or None)

    if not numbered:
        roots = [s for s in roots if s.action]
    for number, step in order:
        if numbered and not step.action:
            raise StepError(actions_column, f"step {_label(number)} has no action")
        if len(number) > MAX_DEPTH:
            raise StepError(actions_column, f"steps nest at most {MAX_DEPTH} levels deep")
    if len(order) > MAX_STEPS:
        raise StepError(actions_column, f"a case has at most {MAX_STEPS} steps")
    return roots


def steps_from_api(raw: Sequence[dict[str, Any]]) -> list[Step]:
    """A case's steps as the API answers them (shared steps come expanded)."""
    return [
        Step(
            action=str(item.get("action") or ""),
            expected_result=item.get("expected_result") or None,
            data=item.get("data") or None,
            steps=steps_from_api(item.get("steps") or []),
        )
        for item in raw
    ]


def _walk(steps: Sequence[Step], prefix: tuple[int, ...] = ()) -> Iterator[tuple[str, Step]]:
    for position, step in enumerate(steps, start=1):
        number = (*prefix, position)
        yield f"{_label(number)}.", step
        yield from _walk(step.steps, number)


def _encode(text: str) -> str:
    """Plain when it reads back the same; otherwise a JSON string (Qase's V2 way)."""
    plain = text and text == text.strip() and not text.startswith('"')
    if plain and "\n" not in text and "\r" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def render_steps(steps: Sequence[Step], *, gherkin: bool) -> tuple[str, str, str]:
    """The three cells (actions, expected results, data) for a case's steps."""
    actions: list[str] = []
    results: list[str] = []
    data: list[str] = []
    for number, step in _walk(steps):
        actions.append(f"{number} {_encode(step.action)}")
        if step.expected_result and not gherkin:
            results.append(f"{number} {_encode(step.expected_result)}")
        if step.data and not gherkin:
            data.append(f"{number} {_encode(step.data)}")
    return "\n".join(actions), "\n".join(results), "\n".join(data)


def flatten(steps: Sequence[Step]) -> dict[str, Step]:
    """Steps by their number (`1.`, `1.1.`), to carry over what a file leaves out."""
    return dict(_walk(steps))
