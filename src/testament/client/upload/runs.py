"""The run results go into: an existing one, or one found or created by its title.

Parallel CI shards run the same command with the same `--run-title` and must land in one run.
Each shard looks for an open run with exactly that title and takes the oldest; when there is
none it creates one, then looks again and takes the oldest open run of that title. Two shards
creating at once both see both runs on the second look (a run is committed before its id is
answered, and ids are handed out in commit order), so both pick the same, older one; the
shard whose run lost deletes it if it is still empty, else leaves it alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from testament.client.config import ClientConfig
from testament.client.http import ApiClient, ApiError

DEFAULT_TITLE = "Automated run {date:%Y-%m-%d %H:%M:%S}"
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
RUN_PATH = re.compile(r"/run/([A-Za-z]{2,10})/(?:dashboard/)?(\d+)(?:/|$)")
TITLE_MAX = 255


class RunError(Exception):
    """The run cannot be used or made; the message says why."""


def render_title(template: str, environ: Mapping[str, str], now: datetime | None = None) -> str:
    """`{env:NAME}` (`{env:NAME:-fallback}`), `{date}` and `{date:%Y-%m-%d}` (UTC) filled in;
    `{{` and `}}` are braces."""
    moment = now or datetime.now(UTC)

    def fill(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        kind, _, argument = match.group(1).partition(":")
        if kind == "env" and argument:
            name, _, fallback = argument.partition(":-")
            value = environ.get(name, "")
            if value:
                return value
            if fallback or ":-" in argument:
                return fallback
            raise RunError(
                f"the run title uses {whole} but {name} is not set (give a fallback: "
                f"{{env:{name}:-none}})"
            )
        if kind == "date":
            return moment.strftime(argument or "%Y-%m-%d %H:%M")
        raise RunError(
            f"the run title has an unknown placeholder {whole}; use {{env:NAME}}, {{date}} or "
            "{date:%Y-%m-%d} ({{ and }} for braces)"
        )

    title = " ".join(PLACEHOLDER.sub(fill, template).split())
    if not title:
        raise RunError("the run title is empty once filled in")
    return title[:TITLE_MAX]


def parse_run_reference(value: str, config: ClientConfig) -> tuple[str | None, int]:
    """`--run-id`: a number, or a run's URL on this server (`.../run/DEMO/12`,
    `.../run/DEMO/dashboard/12`); answers (project code or None, run id)."""
    text = value.strip()
    if text.isdigit() and int(text) > 0:
        return None, int(text)
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        server = urlsplit(config.api_url)
        if (parts.hostname, parts.port or _port(parts.scheme)) != (
            server.hostname,
            server.port or _port(server.scheme),
        ):
            raise RunError(
                f"--run-id {value}: that run is on {parts.netloc}, not on the server this "
                f"command talks to ({server.netloc}); give its number, or --url"
            )
        found = RUN_PATH.search(parts.path)
        if found:
            return found.group(1).upper(), int(found.group(2))
    raise RunError(
        f"--run-id {value}: give a run number or a run URL such as {config.api_url}/run/DEMO/12"
    )


def _port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def run_url(config: ClientConfig, project_code: str, run_id: int) -> str:
    return f"{config.api_url}/v1/run/{project_code}/{run_id}"


@dataclass(frozen=True)
class RunSettings:
    title: str
    description: str | None = None
    environment: str | None = None  # an id or a slug
    milestone: str | None = None  # an id or a title
    plan: int | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChosenRun:
    id: int
    title: str
    created: bool  # this command made it
    reused: bool  # found open by its title


def get_run(client: ApiClient, code: str, run_id: int) -> dict[str, Any]:
    try:
        body = client.request("GET", f"/v1/run/{code}/{run_id}")
    except ApiError as exc:
        if exc.status == 404:
            raise RunError(f"run {run_id} not found in project {code}") from None
        raise
    run: dict[str, Any] = body["result"]
    return run


def require_open(run: dict[str, Any], code: str) -> None:
    if run.get("status_text", "in_progress") != "in_progress" or run.get("status") not in (0, None):
        raise RunError(
            f"run {run.get('id')} of project {code} is completed: it takes no new results. "
            "Upload into a new run (--run-title) instead."
        )


def open_runs_titled(client: ApiClient, code: str, title: str) -> list[dict[str, Any]]:
    """The project's open runs with exactly this title, oldest first."""
    found = [
        run
        for run in client.pages(f"/v1/run/{code}", {"search": title, "status": "in_progress"})
        if run.get("title") == title and run.get("status_text", "in_progress") == "in_progress"
    ]
    return sorted(found, key=lambda run: int(run["id"]))


def _milestone_id(client: ApiClient, code: str, milestone: str) -> int:
    if milestone.isdigit():
        return int(milestone)
    for entity in client.pages(f"/v1/milestone/{code}", {"search": milestone}):
        if entity.get("title") == milestone:
            return int(entity["id"])
    raise RunError(f"--milestone {milestone!r}: no milestone with that title in project {code}")


def create_body(client: ApiClient, code: str, settings: RunSettings) -> dict[str, Any]:
    body: dict[str, Any] = {"title": settings.title, "is_autotest": True}
    if settings.description:
        body["description"] = settings.description
    if settings.environment:
        key = "environment_id" if settings.environment.isdigit() else "environment_slug"
        body[key] = (
            int(settings.environment) if settings.environment.isdigit() else settings.environment
        )
    if settings.milestone:
        body["milestone_id"] = _milestone_id(client, code, settings.milestone)
    if settings.plan is not None:
        body["plan_id"] = settings.plan
    if settings.tags:
        body["tags"] = list(dict.fromkeys(settings.tags))
    return body


def find_or_create(
    client: ApiClient, code: str, settings: RunSettings, warn: Callable[[str], None]
) -> ChosenRun:
    """The oldest open run titled `settings.title`, created when there is none."""
    existing = open_runs_titled(client, code, settings.title)
    if existing:
        return ChosenRun(int(existing[0]["id"]), settings.title, created=False, reused=True)
    body = create_body(client, code, settings)
    created = int(client.request("POST", f"/v1/run/{code}", json=body)["result"]["id"])
    # Another shard may have created one at the same moment: all take the oldest.
    candidates = open_runs_titled(client, code, settings.title)
    oldest = int(candidates[0]["id"]) if candidates else created
    if oldest == created:
        return ChosenRun(created, settings.title, created=True, reused=False)
    _drop_if_empty(client, code, created, warn)
    return ChosenRun(oldest, settings.title, created=False, reused=True)


def _drop_if_empty(client: ApiClient, code: str, run_id: int, warn: Callable[[str], None]) -> None:
    try:
        listed = client.request("GET", f"/v1/result/{code}", params={"run": run_id, "limit": 1})
        if listed["result"]["filtered"] == 0:
            client.request("DELETE", f"/v1/run/{code}/{run_id}")
            return
    except ApiError as exc:
        warn(f"note: run {run_id} was created by this upload and not used: {exc}")
        return
    warn(
        f"note: run {run_id} was created by this upload and not used; it holds results, so it stays"
    )
