"""Commands made of several requests, which users asked for beside the one-per-endpoint ones:
`cases count`, `runs clone`, `tags list`.

Each is described by an `Operation` derived from the table's rows (so its flags, filters and body
fields follow the endpoints they call) plus a function that makes the requests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from testament.client.api_call import PreparedRequest, result_of
from testament.client.spec import Operation

if TYPE_CHECKING:
    from testament.client.http import ApiClient

Runner = Callable[["ApiClient", PreparedRequest], Any]


class CompositeError(Exception):
    """A composite command cannot go on; the message says what to give instead."""


@dataclass(frozen=True)
class Composite:
    operation: Operation  # flags, help text and example
    calls: str  # the requests it makes, for `-h`
    run: Runner


def count_cases(client: ApiClient, request: PreparedRequest) -> dict[str, int]:
    """`total` and `filtered` of the case list, from one page of one case."""
    page = result_of(client.request("GET", request.path, params={**request.params, "limit": 1}))
    return {"total": int(page["total"]), "filtered": int(page["filtered"])}


def list_tags(client: ApiClient, request: PreparedRequest) -> list[dict[str, Any]]:
    """Every distinct tag of the project's cases with how many cases carry it, by title."""
    counts: Counter[str] = Counter()
    for case in client.pages(request.path, request.params):
        counts.update({str(tag["title"]) for tag in case.get("tags") or ()})
    return [
        {"title": title, "cases": counts[title]}
        for title in sorted(counts, key=lambda t: (t.casefold(), t))
    ]


def clone_run(client: ApiClient, request: PreparedRequest) -> Any:
    """A new run with the cases and settings of the run at `request.path`; the body given on the
    command line (title, tags, ...) replaces what it names."""
    source = result_of(client.request("GET", request.path, params={"include": "cases"}))
    project_path = request.path.rsplit("/", 1)[0]  # /v1/run/{code}/{id} -> /v1/run/{code}
    given = request.body or {}
    body: dict[str, Any] = {
        "title": f"{source['title']} (copy)",
        "description": source.get("description"),
        "cases": source.get("cases") or [],
        "plan_id": source.get("plan_id"),
        "tags": [tag["title"] for tag in source.get("tags") or ()],
        "configurations": source.get("configurations") or None,
        "custom_field": {str(f["id"]): f["value"] for f in source.get("custom_fields") or ()}
        or None,
    }
    if source.get("environment") and not {"environment_id", "environment_slug"} & set(given):
        body["environment_slug"] = source["environment"]["slug"]
    if source.get("milestone") and "milestone_id" not in given:
        body["milestone_id"] = _milestone_id(client, project_path, source["milestone"]["title"])
    body.update(given)
    body = {key: value for key, value in body.items() if value is not None}
    created = client.request("POST", project_path, json=body)
    return result_of(created)


def _milestone_id(client: ApiClient, run_path: str, title: str) -> int:
    """The id of the project's milestone titled `title` (runs show their milestone's title)."""
    milestone_path = run_path.replace("/v1/run/", "/v1/milestone/", 1)
    matches = [
        int(m["id"]) for m in client.pages(milestone_path, {"search": title}) if m["title"] == title
    ]
    if len(matches) != 1:
        found = "no milestone" if not matches else f"{len(matches)} milestones"
        raise CompositeError(
            f"The run's milestone {title!r} matches {found} in the project: "
            "give the clone's milestone with --milestone-id."
        )
    return matches[0]


def composites(operations: tuple[Operation, ...]) -> list[Composite]:
    """The composite commands, described from the table rows of the endpoints they call."""
    by_id = {op.operation_id: op for op in operations}
    made: list[Composite] = []
    get_cases = by_id.get("get-cases")
    if get_cases is not None:
        filters = tuple(
            p for p in get_cases.query_params if p.name not in ("limit", "offset", "include")
        )
        count = replace(
            get_cases,
            action="count",
            operation_id="count-cases",
            summary="Count Cases",
            description="Count the project's cases: `total`, and `filtered` by the filter flags.",
            query_params=filters,
            paging="",
            example="testament api cases count --project-code DEMO --severity critical",
        )
        made.append(Composite(count, f"{get_cases.method} {get_cases.path}?limit=1", count_cases))
        tags = replace(
            get_cases,
            resource="tags",
            action="list",
            operation_id="list-tags",
            summary="List Tags",
            description=(
                "List the distinct tags of the project's cases, each with the number of cases "
                "carrying it (every page is read)."
            ),
            query_params=(),
            paging="",
            example="testament api tags list --project-code DEMO",
        )
        made.append(Composite(tags, f"{get_cases.method} {get_cases.path} (every page)", list_tags))
    get_run, create_run = by_id.get("get-run"), by_id.get("create-run")
    if get_run is not None and create_run is not None:
        clone = replace(
            create_run,
            action="clone",
            operation_id="clone-run",
            summary="Clone Run",
            description=(
                "Create a new run with the cases, environment, milestone, plan, tags, "
                "configurations and custom fields of run --id, titled --title or "
                "'<its title> (copy)'; body flags replace what they name."
            ),
            path=get_run.path,
            path_params=get_run.path_params,
            body_required=False,
            body_fields=tuple(replace(p, required=False) for p in create_run.body_fields),
            example="testament api runs clone --project-code DEMO --id 12 --title 'Nightly retry'",
        )
        calls = f"GET {get_run.path}?include=cases, then {create_run.method} {create_run.path}"
        made.append(Composite(clone, calls, clone_run))
    return made
