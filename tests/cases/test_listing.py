"""The list services called directly with typed filters, as the web UI and the query language
will call them: no query string, the same rows and counts as the endpoint gives."""

from __future__ import annotations

import httpx
import pytest

from testament.cases.filters import CaseFilters
from testament.cases.listing import list_cases
from testament.kit.errors import BadRequest, NotFound
from testament.kit.pagination import PageParams
from testament.runs.filters import RunFilters
from testament.runs.listing import list_runs
from testament.system_fields.catalog import resolve_option
from tests.acting import Acting
from tests.cases.helpers import make_case, make_milestone, ok
from tests.factories import make_project

# Typed filters become SQL (search, datetimes, counts) on each dialect.
pytestmark = pytest.mark.both_backends

BASE_URL = "http://testament.invalid"


def test_list_cases_with_a_filter_object(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api)
    milestone = make_milestone(api, code)
    make_case(api, code, title="Pay by card", severity="critical", milestone_id=milestone)
    make_case(api, code, title="Pay in cash", severity="minor", milestone_id=milestone)
    make_case(api, code, title="Pay later", severity="critical")
    filters = CaseFilters(
        search="PAY", severity=(resolve_option("severity", "critical"),), milestone=milestone
    )
    with acting(code, "viewer", "case.read") as (session, ctx):
        listed = list_cases(
            session, ctx, filters, PageParams(limit=10, offset=0), base_url=BASE_URL
        )
        everything = list_cases(
            session, ctx, CaseFilters(), PageParams(limit=2, offset=1), base_url=BASE_URL
        )
    assert [c.title for c in listed.entities] == ["Pay by card"]
    assert (listed.total, listed.filtered, listed.count) == (3, 1, 1)
    assert [c.title for c in everything.entities] == ["Pay in cash", "Pay later"]
    assert (everything.total, everything.filtered, everything.count) == (3, 3, 2)
    over_http = ok(
        api.get(
            f"/v1/case/{code}",
            params={"search": "PAY", "severity": "critical", "milestone_id": milestone},
        )
    )
    assert over_http == listed.model_dump(mode="json", by_alias=True)


def test_an_empty_option_tuple_matches_nothing(api: httpx.Client, acting: Acting) -> None:
    """As `severity=,` does over HTTP: the filter is given, and names no option."""
    code = make_project(api)
    make_case(api, code)
    with acting(code) as (session, ctx):
        listed = list_cases(
            session, ctx, CaseFilters(severity=()), PageParams(10, 0), base_url=BASE_URL
        )
    assert (listed.total, listed.filtered, listed.count) == (1, 0, 0)
    assert ok(api.get(f"/v1/case/{code}", params={"severity": ","}))["filtered"] == 0


def test_list_runs_with_a_filter_object(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api)
    for title in ("Nightly", "Smoke", "Nightly 2"):
        ok(api.post(f"/v1/run/{code}", json={"title": title}))
    assert api.post(f"/v1/run/{code}/2/complete").json() == {"status": True}
    with acting(code, "viewer", "run.read") as (session, ctx):
        active = list_runs(session, ctx, RunFilters(status=("in_progress",)), PageParams(10, 0))
        nightly = list_runs(session, ctx, RunFilters(search="night"), PageParams(10, 0))
    assert [r.title for r in active.entities] == ["Nightly 2", "Nightly"]
    assert [r.title for r in nightly.entities] == ["Nightly 2", "Nightly"]
    assert (nightly.total, nightly.filtered) == (3, 2)


def test_filters_from_the_query_name_the_parameter() -> None:
    with pytest.raises(BadRequest) as raised:
        CaseFilters.from_query(severity="critical,bogus")
    assert [f.field for f in raised.value.fields] == ["severity"]
    with pytest.raises(BadRequest) as raised:
        RunFilters.from_query(to_start_time=10**20)
    assert [f.field for f in raised.value.fields] == ["to_start_time"]


def test_a_role_that_cannot_see_the_project_gets_no_list(api: httpx.Client, acting: Acting) -> None:
    code = make_project(api, access="none")
    with pytest.raises(NotFound), acting(code, "viewer", "case.read") as (session, ctx):
        list_cases(session, ctx, CaseFilters(), PageParams(10, 0), base_url=BASE_URL)
