"""Data for the fuzzer to reach: a seeded project, and path parameters steered to it.

Random `{code}` and `{id}` values stop at the 404 of the project or entity lookup; the handlers
behind them only run when the path names something that exists. `steer()` rewrites most
generated path parameters to a seeded entity of the right kind (and leaves the rest as generated,
so the lookups are fuzzed too). Operations that consume what they name (deletes, completing a
run) get a throwaway made just before the call in a spare project, so the seed survives the run.
"""

from __future__ import annotations

import secrets
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.factories import make_project

# About four generated path parameters in five are steered to seeded entities.
STEER_ONE_IN = 5


def fresh_code(length: int = 8) -> str:
    """A random code. Not `random`: Hypothesis seeds it the same way for every example."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(length))


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"{response.request.url}: {response.text}"
    return response.json()["result"]


@dataclass
class Seed:
    """What the fuzzer's path parameters are steered to, made over HTTP as an admin."""

    api: httpx.Client
    code: str = ""
    ids: dict[str, list[int]] = field(default_factory=dict)  # kind -> per-project numbers or ids
    hashes: dict[str, list[str]] = field(default_factory=dict)  # kind -> hashes
    parameter_ids: list[str] = field(default_factory=list)  # shared parameters (UUIDs)
    # Where throwaways are made: a project the fuzzer never writes to otherwise, so nothing it
    # does to the seeded one (say, import a case under the largest id) can stop them being made.
    spare: Seed | None = None

    @classmethod
    def plant(cls, api: httpx.Client) -> Seed:
        seed = cls._with_cases_and_runs(api, "Fuzzing ground")
        seed.spare = cls._with_cases_and_runs(api, "Throwaways")
        code = seed.code
        seed.ids["milestone"] = [seed.make_milestone()]
        seed.ids["environment"] = [seed.make_environment()]
        seed.ids["plan"] = [seed.make_plan()]
        seed.hashes["result"] = [seed.make_result(seed.ids["run"][0]) for _ in range(2)]
        seed.ids["defect"] = [seed.make_defect()]
        seed.ids["review"] = [seed.make_review()]
        seed.hashes["shared_step"] = [seed.make_shared_step()]
        seed.hashes["attachment"] = [seed.make_attachment()]
        seed.parameter_ids = [seed.make_shared_parameter()]
        seed.ids["custom_field"] = [seed.make_custom_field()]
        _ok(api.post(f"/v1/configuration/{code}/group", json={"title": "Browser"}))
        users = _ok(api.get("/v1/user", params={"limit": 100}))["entities"]
        seed.ids["user"] = [int(u["id"]) for u in users]
        authors = _ok(api.get("/v1/author", params={"limit": 100}))["entities"]
        seed.ids["author"] = [int(a["id"]) for a in authors]
        return seed

    @classmethod
    def _with_cases_and_runs(cls, api: httpx.Client, title: str) -> Seed:
        seed = cls(api, code=make_project(api, title=title, code=fresh_code()))
        seed.ids["suite"] = [seed.make_suite(), seed.make_suite()]
        cases = [{"title": f"Case {n}", "suite_id": seed.ids["suite"][n % 2]} for n in range(4)]
        created = _ok(api.post(f"/v1/case/{seed.code}/bulk", json={"cases": cases}))["ids"]
        seed.ids["case"] = [int(n) for n in created]
        seed.ids["run"] = [seed.make_run(), seed.make_run()]
        return seed

    # One factory per kind; the spare project's also make the throwaways consuming operations get.
    def make_suite(self) -> int:
        return int(_ok(self.api.post(f"/v1/suite/{self.code}", json={"title": "Suite"}))["id"])

    def make_milestone(self) -> int:
        body = {"title": "Release"}
        return int(_ok(self.api.post(f"/v1/milestone/{self.code}", json=body))["id"])

    def make_case(self) -> int:
        return int(_ok(self.api.post(f"/v1/case/{self.code}", json={"title": "Spare"}))["id"])

    def make_environment(self) -> int:
        body = {"title": "Staging", "slug": f"staging-{fresh_code(6).lower()}"}
        return int(_ok(self.api.post(f"/v1/environment/{self.code}", json=body))["id"])

    def make_plan(self) -> int:
        body = {"title": "Plan", "cases": self.ids["case"][:2]}
        return int(_ok(self.api.post(f"/v1/plan/{self.code}", json=body))["id"])

    def make_run(self) -> int:
        body = {"title": "Nightly", "cases": self.ids["case"]}
        return int(_ok(self.api.post(f"/v1/run/{self.code}", json=body))["id"])

    def make_result(self, run: int) -> str:
        body = {"case_id": self.ids["case"][0], "status": "failed", "comment": "Broke"}
        return str(_ok(self.api.post(f"/v1/result/{self.code}/{run}", json=body))["hash"])

    def make_spare_result(self) -> dict[str, Any]:
        """A result in the second run, as the path parameters of `/result/{code}/{id}/{hash}`."""
        run = self.ids["run"][1]
        return {"code": self.code, "id": run, "hash": self.make_result(run)}

    def make_defect(self) -> int:
        body = {"title": "Login fails", "actual_result": "500", "severity": 3}
        return int(_ok(self.api.post(f"/v1/defect/{self.code}", json=body))["id"])

    def make_review(self) -> int:
        body = {"proposed_case": {"title": "New case"}}
        return int(_ok(self.api.post(f"/v1/review/{self.code}", json=body))["id"])

    def make_shared_step(self) -> str:
        body = {"title": "Log in", "steps": [{"action": "Open the login page"}]}
        return str(_ok(self.api.post(f"/v1/shared_step/{self.code}", json=body))["hash"])

    def make_attachment(self) -> str:
        files = [("file[]", ("notes.txt", b"fuzzing notes", "text/plain"))]
        return str(_ok(self.api.post(f"/v1/attachment/{self.code}", files=files))[0]["hash"])

    def make_shared_parameter(self) -> str:
        body = {
            "title": "Browsers",
            "type": "single",
            "is_enabled_for_all_projects": True,
            "parameters": [{"title": "Browser", "values": ["Chrome", "Firefox"]}],
        }
        return str(_ok(self.api.post("/v1/shared_parameter", json=body))["id"])

    def make_custom_field(self) -> int:
        body = {
            "title": f"Field {fresh_code(6)}",
            "entity": 0,
            "type": 3,
            "value": [{"title": "Low"}, {"title": "High"}],
            "is_enabled_for_all_projects": True,
        }
        return int(_ok(self.api.post("/v1/custom_field", json=body))["id"])


def _pick(original: Any, choices: list[Any]) -> Any:
    """A seeded value for most generated values, the generated one for the rest; stable per value."""
    digest = zlib.crc32(repr(original).encode())
    if not choices or digest % STEER_ONE_IN == 0:
        return original
    return choices[digest % len(choices)]


# The kind of entity a path's `{id}` names, by the path's first segment (without /v1).
ID_KIND = {
    "suite": "suite",
    "milestone": "milestone",
    "case": "case",
    "environment": "environment",
    "plan": "plan",
    "run": "run",
    "result": "run",  # /result/{code}/{id}: the run a result goes into
    "defect": "defect",
    "review": "review",
    "user": "user",
    "author": "author",
    "custom_field": "custom_field",
}
HASH_KIND = {"shared_step": "shared_step", "attachment": "attachment", "result": "result"}


def resource_of(template: str) -> str:
    """The first literal segment: `/v1/suite/{code}/{id}` and `/suite/{code}/{id}` -> `suite`,
    `/v2/{project_code}/run/{run_id}/result` -> `run`."""
    literal = [p for p in template.split("/") if p and p not in ("v1", "v2") and "{" not in p]
    return literal[0] if literal else ""


def seeded_values(seed: Seed, resource: str, name: str) -> list[Any]:
    """The seeded values a path parameter `name` of an operation on `resource` can name."""
    if name in ("code", "project_code"):
        return [seed.code]
    if name in ("id", "run_id"):
        if resource == "shared_parameter":
            return list(seed.parameter_ids)
        return seed.ids.get(ID_KIND.get(resource, ""), [])
    if name == "hash":
        return seed.hashes.get(HASH_KIND.get(resource, ""), [])
    return []


def steer(seed: Seed, method: str, template: str, params: dict[str, Any]) -> dict[str, Any]:
    """The path parameters to send: most steered to the seed, consuming operations to throwaways."""
    resource = resource_of(template)
    steered = {
        name: _pick(value, seeded_values(seed, resource, name)) for name, value in params.items()
    }
    consumer = _consumer(seed, method, template)
    if consumer is not None:
        consumed, make = consumer
        # When the operation would name a seeded entity, a throwaway stands in for it.
        if any(
            steered[name] in seeded_values(seed, resource, name)
            for name in consumed
            if name in steered
        ):
            steered.update({name: value for name, value in make().items() if name in params})
    return steered


Maker = Callable[[], dict[str, Any]]


def _consumer(seed: Seed, method: str, template: str) -> tuple[tuple[str, ...], Maker] | None:
    """For an operation that destroys what it names: the names it consumes, and how to make a
    throwaway (in the spare project) to name instead."""
    spare = seed.spare
    assert spare is not None
    resource = resource_of(template)
    if method == "DELETE" and template.rstrip("/").endswith("/project/{code}"):
        return ("code",), lambda: {"code": make_project(seed.api, title="Gone", code=fresh_code())}
    if method == "POST" and template.endswith("/complete"):
        return ("id",), lambda: {"code": spare.code, "id": spare.make_run()}
    if method != "DELETE" or template.endswith("/access"):
        return None
    in_spare: dict[str, Callable[[], int | str]] = {
        "suite": spare.make_suite,
        "milestone": spare.make_milestone,
        "case": spare.make_case,
        "environment": spare.make_environment,
        "plan": spare.make_plan,
        "run": spare.make_run,
        "defect": spare.make_defect,
        "review": spare.make_review,
        "shared_step": spare.make_shared_step,
        "attachment": spare.make_attachment,
        "shared_parameter": spare.make_shared_parameter,
        "custom_field": spare.make_custom_field,
    }
    if resource == "result":
        return ("hash",), spare.make_spare_result
    if resource not in in_spare:
        return None
    name = "hash" if resource in HASH_KIND else "id"
    make = in_spare[resource]
    return (name,), lambda: {"code": spare.code, name: make()}
