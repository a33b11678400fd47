"""The CSV columns: the names the export writes and the aliases the import accepts.

Headers are matched case-insensitively, with spaces, dashes and dots read as underscores, so
`Steps Actions`, `steps-actions` and `STEPS_ACTIONS` are one column. The aliases cover Qase's
export (`v2.id`, `steps_actions`, `steps_result`, `steps_data`, `suite_id`, `suite_parent_id`,
`suite_without_cases`) and the names spreadsheets commonly use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ENUM_COLUMNS = (
    "severity",
    "priority",
    "type",
    "behavior",
    "layer",
    "is_flaky",
    "automation",
    "status",
)
TEXT_COLUMNS = ("description", "preconditions", "postconditions")

# What the export writes, in this order. Qase's names where Qase has the column.
EXPORT_COLUMNS = (
    "id",
    "title",
    "suite",
    "description",
    "preconditions",
    "postconditions",
    "steps_type",
    "steps_actions",
    "steps_result",
    "steps_data",
    *ENUM_COLUMNS,
    "tags",
)

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "v2_id", "case_id", "case_number"),
    "title": ("title", "name", "case_title", "case_name", "test_case", "summary"),
    "suite": ("suite", "suite_path", "suite_title", "folder", "path", "section"),
    "description": ("description",),
    "preconditions": ("preconditions", "precondition", "pre_conditions"),
    "postconditions": ("postconditions", "postcondition", "post_conditions"),
    "steps_type": ("steps_type", "step_type"),
    "steps_actions": ("steps_actions", "steps_action", "steps", "step", "actions", "step_actions"),
    "steps_result": (
        "steps_result",
        "steps_results",
        "steps_expected_result",
        "steps_expected_results",
        "expected_result",
        "expected_results",
        "expected",
    ),
    "steps_data": ("steps_data", "step_data", "data", "test_data", "input_data"),
    "severity": ("severity",),
    "priority": ("priority",),
    "type": ("type", "case_type"),
    "behavior": ("behavior", "behaviour"),
    "layer": ("layer",),
    "is_flaky": ("is_flaky", "flaky"),
    "automation": ("automation", "automation_status"),
    "status": ("status", "case_status"),
    "tags": ("tags", "tag", "labels"),
    "suite_id": ("suite_id",),
    "suite_parent_id": ("suite_parent_id",),
    "suite_without_cases": ("suite_without_cases",),
}
BY_ALIAS = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def normalize_header(header: str) -> str:
    return re.sub(r"[\s\-.]+", "_", header.strip().lower()).strip("_")


@dataclass
class Header:
    """Which position holds which column, and the header text the user wrote for it."""

    positions: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.positions

    def label(self, column: str) -> str:
        return self.labels.get(column, column)


def read_header(cells: list[str]) -> Header:
    header = Header()
    for position, raw in enumerate(cells):
        text = raw.strip()
        if not text:
            continue
        column = BY_ALIAS.get(normalize_header(text))
        if column is None:
            header.ignored.append(text)
            continue
        if column in header.positions:
            header.errors.append(
                f"columns {header.labels[column]!r} and {text!r} both mean {column}: keep one"
            )
            continue
        header.positions[column] = position
        header.labels[column] = text
    if "title" not in header.positions:
        header.errors.append(
            "no title column (the header row needs one: title, or name); "
            f"columns found: {', '.join(c.strip() for c in cells if c.strip()) or 'none'}"
        )
    return header
