"""resolve-defect, update-defect-status, and defects filed from results, over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from testament.kit.errors import Invalid
from testament.milestones.service import milestone_id_for_number
from tests.acting import Acting, actor_of, audit_actions
from tests.defects.helpers import (
    add_result,
    field_names,
    file_from_result,
    get_defect,
    link,
    make_defect,
    make_defect_field,
    ok,
    set_status,
)
from tests.factories import make_project
from tests.live import LiveServer
from tests.suites.helpers import project_counts

ClientAs = Callable[[str | None], httpx.Client]


def _set(api: httpx.Client, code: str, number: int, status: object) -> httpx.Response:
    return api.patch(f"/v1/defect/{code}/status/{number}", json={"status": status})


def _recent(stamp: str) -> bool:
    return abs(datetime.now(UTC) - datetime.fromisoformat(stamp)) < timedelta(minutes=1)


class TestResolveDefect:
    def test_resolves_and_stamps_the_time(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        make_defect(api, code)
        response = api.patch(f"/v1/defect/{code}/resolve/{number}")
        assert response.json() == {"status": True, "result": {"id": number}}
        got = get_defect(api, code, number)
        assert got["status"] == "resolved"
        assert got["resolved_at"] is not None and _recent(got["resolved_at"])
        assert got["updated_at"] >= got["created_at"]
        assert project_counts(api, code)["defects"] == {"total": 2, "open": 1}
        assert audit_actions(server, code, "defect", number) == ["create", "resolve"]

    def test_resolving_again_keeps_the_first_time(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        ok(api.patch(f"/v1/defect/{code}/resolve/{number}"))
        first = get_defect(api, code, number)
        ok(api.patch(f"/v1/defect/{code}/resolve/{number}"))
        assert get_defect(api, code, number) == first
        assert audit_actions(server, code, "defect", number) == ["create", "resolve"]

    @pytest.mark.parametrize("start", ["in_progress", "invalid"])
    def test_resolves_from_any_status(self, api: httpx.Client, start: str) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        set_status(api, code, number, start)
        ok(api.patch(f"/v1/defect/{code}/resolve/{number}"))
        assert get_defect(api, code, number)["status"] == "resolved"

    def test_another_projects_or_deleted_defect_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other)
        make_defect(api, other)
        make_defect(api, code)
        assert api.patch(f"/v1/defect/{code}/resolve/2").status_code == 404
        assert get_defect(api, other, 2)["status"] == "open"
        ok(api.delete(f"/v1/defect/{code}/1"))
        assert api.patch(f"/v1/defect/{code}/resolve/1").status_code == 404

    def test_viewer_cannot_resolve(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        response = client_as("viewer").patch(f"/v1/defect/{code}/resolve/{number}")
        assert response.status_code == 403
        assert "defect.update" in response.json()["errorMessage"]
        assert get_defect(api, code, number)["status"] == "open"


class TestUpdateDefectStatus:
    @pytest.mark.parametrize("status", ["in_progress", "resolved", "invalid"])
    def test_sets_the_status(self, api: httpx.Client, status: str) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        response = _set(api, code, number, status)
        assert (response.status_code, response.json()) == (200, {"status": True})
        got = get_defect(api, code, number)
        assert got["status"] == status
        assert (got["resolved_at"] is not None) == (status == "resolved")
        assert project_counts(api, code)["defects"] == {"total": 1, "open": 0}

    def test_leaving_resolved_clears_resolved_at(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        set_status(api, code, number, "resolved")
        assert get_defect(api, code, number)["resolved_at"] is not None
        set_status(api, code, number, "in_progress")
        got = get_defect(api, code, number)
        assert (got["status"], got["resolved_at"]) == ("in_progress", None)
        set_status(api, code, number, "in_progress")
        assert audit_actions(server, code, "defect", number) == ["create", "resolve", "status"]

    @pytest.mark.parametrize("status", ["open", "closed", "", None, 1, ["resolved"], "RESOLVED"])
    def test_bad_status_is_422_naming_it(self, api: httpx.Client, status: object) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        response = _set(api, code, number, status)
        assert response.status_code == 422
        assert field_names(response) == ["status"]
        assert get_defect(api, code, number)["status"] == "open"

    def test_missing_status_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        response = api.patch(f"/v1/defect/{code}/status/{number}", json={})
        assert (response.status_code, field_names(response)) == (422, ["status"])

    def test_another_projects_or_deleted_defect_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other)
        make_defect(api, other)
        make_defect(api, code)
        assert _set(api, code, 2, "invalid").status_code == 404
        assert get_defect(api, other, 2)["status"] == "open"
        ok(api.delete(f"/v1/defect/{code}/1"))
        assert _set(api, code, 1, "invalid").status_code == 404

    def test_viewer_cannot_but_member_can(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        assert _set(client_as("viewer"), code, number, "invalid").status_code == 403
        assert get_defect(api, code, number)["status"] == "open"
        assert _set(client_as("member"), code, number, "invalid").status_code == 200
        assert get_defect(api, code, number)["status"] == "invalid"


class TestDefectsFiledFromResults:
    def test_links_the_run_and_the_result(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        make_defect(api, code)
        source = add_result(acting, code)
        number = file_from_result(
            acting,
            code,
            source,
            role="member",
            title="Checkout broke",
            actual_result="Trace",
            severity=2,
        )
        assert number == 2
        got = get_defect(api, code, number)
        assert (got["title"], got["actual_result"], got["severity"]) == (
            "Checkout broke",
            "Trace",
            "critical",
        )
        assert (got["status"], got["resolved_at"], got["milestone_id"]) == ("open", None, None)
        assert (got["runs"], got["results"]) == ([source.run_number], [source.result_hash])
        assert got["author_id"] == actor_of(server, "member").author_id
        assert project_counts(api, code)["defects"] == {"total": 2, "open": 2}
        assert audit_actions(server, code, "defect", number) == ["create"]

    def test_severity_and_milestone(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        milestone = ok(api.post(f"/v1/milestone/{code}", json={"title": "M"}))["id"]
        with acting(code) as (session, ctx):
            milestone_id = milestone_id_for_number(session, ctx.project.id, milestone)
        number = file_from_result(acting, code, add_result(acting, code), milestone_id=milestone_id)
        got = get_defect(api, code, number)
        assert (got["severity"], got["milestone_id"]) == ("undefined", milestone)
        with pytest.raises(Invalid) as raised:
            file_from_result(acting, code, add_result(acting, code), severity=12)
        assert [f.field for f in raised.value.fields] == ["severity"]

    def test_custom_field_defaults(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        defaulted = make_defect_field(api, code, default_value="auto")
        number = file_from_result(acting, code, add_result(acting, code))
        assert get_defect(api, code, number)["custom_fields"] == [
            {"id": defaulted, "value": "auto"}
        ]

    def test_a_required_custom_field_does_not_fail_the_result(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        required = make_defect_field(api, code, is_required=True)
        number = file_from_result(acting, code, add_result(acting, code))
        assert get_defect(api, code, number)["custom_fields"] == []
        body = {"custom_field": {str(required): "filled later"}}
        ok(api.patch(f"/v1/defect/{code}/{number}", json=body))
        assert get_defect(api, code, number)["custom_fields"] == [
            {"id": required, "value": "filled later"}
        ]

    def test_runs_are_listed_once_each(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        first = add_result(acting, code)
        second = add_result(acting, code, run=first.run_number)
        number = file_from_result(acting, code, first)
        link(acting, code, number, second)
        got = get_defect(api, code, number)
        assert got["runs"] == [first.run_number]
        assert got["results"] == [first.result_hash, second.result_hash]
