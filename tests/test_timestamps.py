"""Timestamps clients send are read by one parser (`testament.kit.timestamps`): a datetime
that is valid ISO-8601 but past the last year once moved to UTC is a 4xx naming the field, not a
500, in bodies and in queries alike."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_project

# Valid ISO-8601, but 01:00 on 10000-01-01 in UTC: beyond what a datetime holds.
PAST_THE_LAST_YEAR = "9999-12-31T23:00:00-02:00"


@pytest.mark.parametrize(
    ("method", "path", "field", "status"),
    [
        ("POST", "/v1/case/{code}", "created_at", 422),
        ("POST", "/v1/run/{code}", "start_time", 422),
        ("GET", "/v1/result/{code}", "from_end_time", 400),
        ("GET", "/v1/audit_log", "from", 400),
    ],
)
def test_a_datetime_past_the_last_year_is_refused_naming_the_field(
    api: httpx.Client, method: str, path: str, field: str, status: int
) -> None:
    code = make_project(api)
    url = path.format(code=code)
    if method == "POST":
        response = api.post(url, json={"title": "Late", field: PAST_THE_LAST_YEAR})
    else:
        response = api.get(url, params={field: PAST_THE_LAST_YEAR})
    assert response.status_code == status, response.text
    assert [f["field"] for f in response.json()["errorFields"]] == [field]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "99999999999999999999"}, "from"), ({"to": "2021-13-01"}, "to")],
)
def test_audit_log_instants_out_of_range_or_malformed_are_400(
    api: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = api.get("/v1/audit_log", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["errorFields"][0]["field"] == field
