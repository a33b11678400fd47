"""Write every case of a project, page after page as the API answers them, as CSV or JSON.

The CSV has the columns `testament import cases` reads (`columns.EXPORT_COLUMNS`), so an export
imported again changes nothing, and imported into an empty project makes the same cases. The JSON
is the list of cases exactly as the API answers them (`GET /v1/case/{code}`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from testament.client.cases_io.columns import ENUM_COLUMNS, EXPORT_COLUMNS, TEXT_COLUMNS
from testament.client.cases_io.plan import SuiteTree
from testament.client.cases_io.reader import join_path, join_tags
from testament.client.cases_io.steps import render_steps, steps_from_api
from testament.client.cases_io.vocabulary import Vocabulary


def csv_row(case: dict[str, Any], tree: SuiteTree, vocabulary: Vocabulary) -> list[str]:
    steps_type = str(case.get("steps_type") or "classic")
    actions, results, data = render_steps(
        steps_from_api(case.get("steps") or []), gherkin=steps_type == "gherkin"
    )
    values: dict[str, str] = {
        "id": str(case["id"]),
        "title": str(case["title"]),
        "suite": join_path(tree.path(case.get("suite_id"))),
        "steps_type": steps_type,
        "steps_actions": actions,
        "steps_result": results,
        "steps_data": data,
        "tags": join_tags(sorted(str(tag.get("title")) for tag in case.get("tags") or [])),
    }
    for name in TEXT_COLUMNS:
        values[name] = str(case.get(name) or "")
    for name in ENUM_COLUMNS:
        values[name] = vocabulary.slug(name, case.get(name))
    return [values[column] for column in EXPORT_COLUMNS]


def write_csv(
    out: TextIO, cases: Iterable[dict[str, Any]], tree: SuiteTree, vocabulary: Vocabulary
) -> int:
    """The cases as CSV rows (RFC 4180: CRLF between records); answers how many."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for case in cases:
        writer.writerow(csv_row(case, tree, vocabulary))
        count += 1
    return count


def write_json(out: TextIO, cases: Iterable[dict[str, Any]]) -> int:
    """A JSON array of the cases, written one case at a time; answers how many."""
    count = 0
    out.write("[")
    for case in cases:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(case, ensure_ascii=False, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
