"""Example command lines for the endpoint table (shown by `-h` and run by the tests).

Built from each operation's required flags with sample values by name or kind; the few whose
schema says too little to make a useful one are written out in `SAMPLE_FLAGS`.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from testament.client.spec import Operation, Param

# Example values for required fields, by name; others follow their kind.
SAMPLE_VALUES: dict[str, Any] = {
    "title": "Login works",
    "code": "DEMO",
    "status": "passed",
    "slug": "staging",
    "actual_result": "The page stays blank",
    "member_id": 2,
    "group_id": 1,
    "cases": [1, 2],
    "entity": 0,
    "type": 1,
    "severity": 2,
    "is_enabled_for_all_projects": True,
}
PATH_SAMPLES = {"--project-code": "DEMO", "--hash": "6f1ed002ab5595859014ebf0951522d9"}
# Examples the schema alone cannot make useful, by operationId (after the path flags).
SAMPLE_FLAGS: dict[str, str] = {
    "create-result-v2": "--title 'Login works' --execution '{\"status\": \"passed\"}'",
    "create-results-v2": (
        '--results \'[{"title": "Login works", "execution": {"status": "passed"}}]\''
    ),
    "create-result-bulk": '--results \'[{"case_id": 1, "status": "passed"}]\'',
    "bulk": '--cases \'[{"title": "Login works"}, {"title": "Logout works"}]\'',
    "bulk-create-reviews": '--reviews \'[{"proposed_case": {"title": "Login works"}}]\'',
    "create-result": "--case-id 1 --status passed",
    "create-shared-step": (
        '--title \'Log in\' --steps \'[{"action": "Open /login", "expected_result": "A form"}]\''
    ),
    "create-review": '--proposed-case \'{"title": "Login works"}\'',
    "create-shared-parameter": (
        "--title Browsers --type single --is-enabled-for-all-projects "
        '--parameters \'[{"title": "browser", "values": ["chrome", "firefox"]}]\''
    ),
    "case-attach-external-issue": (
        '--type jira-cloud --links \'[{"case_id": 1, "external_issues": ["PROJ-1"]}]\''
    ),
    "case-detach-external-issue": (
        '--type jira-cloud --links \'[{"case_id": 1, "external_issues": ["PROJ-1"]}]\''
    ),
    "run-update-external-issue": (
        '--type jira-cloud --links \'[{"run_id": 1, "external_issue": "PROJ-1"}]\''
    ),
    "update-run-publicity": "--status",
    "upload-attachment": "--file screenshot.png --file log.txt",
}


KIND_SAMPLES: dict[str, Any] = {"integer": 1, "number": 1.5, "array": [], "object": {}}


def _sample(param: Param) -> str:
    """The value after the flag, quoted for a shell ("" for a boolean flag)."""
    if param.kind == "boolean":
        return ""
    value = SAMPLE_VALUES.get(param.name)
    if param.choices and str(value) not in param.choices:
        value = param.choices[0]
    if value is None:
        value = KIND_SAMPLES.get(param.kind, "text")
    if isinstance(value, (list, dict)):
        return shlex.quote(json.dumps(value))
    return shlex.quote(str(value))


def example(op: Operation) -> str:
    """A command line calling `op`, with the values its required flags need."""
    words = ["testament", "api", op.resource, op.action]
    for param in op.path_params:
        words += [param.flag, PATH_SAMPLES.get(param.flag, "1")]
    line = " ".join(words)
    if op.operation_id in SAMPLE_FLAGS:
        return f"{line} {SAMPLE_FLAGS[op.operation_id]}"
    for param in op.body_fields:
        if param.required:
            value = _sample(param)
            line += f" {param.flag}" + (f" {value}" if value else "")
    if op.method == "PATCH" and not any(p.required for p in op.body_fields):
        optional = [p for p in op.body_fields if p.kind in ("string", "integer")]
        if optional:
            line += f" {optional[0].flag} {_sample(optional[0])}"
    for param in op.query_params:
        if param.required:
            line += f" {param.flag} {_sample(param)}"
    if op.paging:
        line += " --all"
    return line
