"""create-defect, update-defect and delete-defect over HTTP (responses checked against the
contract)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.acting import Acting, actor_of, audit_actions
from tests.defects.helpers import (
    SEVERITY_SLUGS,
    Leftovers,
    add_result,
    defect_body,
    field_names,
    file_from_result,
    get_defect,
    global_defect_id,
    leftovers,
    list_defects,
    make_defect,
    make_defect_field,
    make_milestone,
    ok,
    upload,
)
from tests.factories import make_project, unique_code
from tests.live import LiveServer, wait_past_the_second_of
from tests.suites.helpers import project_counts

ClientAs = Callable[[str | None], httpx.Client]
LEGACY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def _named(response: httpx.Response, field: str) -> bool:
    return any(name == field or name.startswith(f"{field}.") for name in field_names(response))


class TestCreateDefect:
    def test_creates_and_reads_back_every_field(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        field = make_defect_field(api, code)
        files = [upload(api, code, "a.txt"), upload(api, code, "b.txt")]
        body = defect_body(
            milestone_id=milestone,
            attachments=files,
            custom_field={str(field): "Checkout"},
            tags=["ui", " login ", "ui"],
        )
        response = api.post(f"/v1/defect/{code}", json=body)
        assert response.json() == {"status": True, "result": {"id": 1}}

        got = get_defect(api, code, 1)
        author = actor_of(server, "admin").author_id
        assert {k: got[k] for k in ("id", "title", "actual_result", "severity", "status")} == {
            "id": 1,
            "title": "Login fails",
            "actual_result": "500 error",
            "severity": "major",
            "status": "open",
        }
        assert (got["milestone_id"], got["resolved_at"]) == (milestone, None)
        assert (got["author_id"], got["member_id"]) == (author, author)
        assert got["custom_fields"] == [{"id": field, "value": "Checkout"}]
        assert [(a["hash"], a["filename"]) for a in got["attachments"]] == [
            (files[0], "a.txt"),
            (files[1], "b.txt"),
        ]
        assert all(a["url"].startswith("http") and a["size"] > 0 for a in got["attachments"])
        assert [t["title"] for t in got["tags"]] == ["login", "ui"]
        assert all(isinstance(t["internal_id"], int) for t in got["tags"])
        assert (got["external_data"], got["runs"], got["results"]) == ("{}", [], [])
        created_at = datetime.fromisoformat(got["created_at"])
        assert created_at.tzinfo is not None
        assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)
        assert got["created"] == created_at.strftime("%Y-%m-%d %H:%M:%S")
        assert LEGACY.match(got["updated"])
        assert audit_actions(server, code, "defect", 1) == ["create"]

    @pytest.mark.parametrize("severity", range(7))
    def test_severity_is_written_as_an_id_and_read_as_a_slug(
        self, api: httpx.Client, severity: int
    ) -> None:
        code = make_project(api)
        number = make_defect(api, code, severity=severity)
        assert get_defect(api, code, number)["severity"] == SEVERITY_SLUGS[severity]

    def test_optional_fields_default_to_empty(self, api: httpx.Client) -> None:
        code = make_project(api)
        got = get_defect(api, code, make_defect(api, code, actual_result=""))
        assert got["actual_result"] == ""
        assert (got["milestone_id"], got["tags"], got["attachments"]) == (None, [], [])
        assert got["custom_fields"] == []

    def test_ids_are_numbered_per_project_and_counted(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        assert [make_defect(api, one), make_defect(api, one)] == [1, 2]
        assert make_defect(api, two) == 1
        assert project_counts(api, one)["defects"] == {"total": 2, "open": 2}

    def test_custom_field_defaults_and_required_fields(self, api: httpx.Client) -> None:
        code = make_project(api)
        defaulted = make_defect_field(api, code, default_value="fallback")
        assert get_defect(api, code, make_defect(api, code))["custom_fields"] == [
            {"id": defaulted, "value": "fallback"}
        ]
        required = make_defect_field(api, code, is_required=True)
        response = api.post(f"/v1/defect/{code}", json=defect_body())
        assert response.status_code == 422
        assert field_names(response) == [f"custom_field[{required}]"]
        body = defect_body(custom_field={str(required): "given"})
        assert get_defect(api, code, make_defect(api, code, **body))["custom_fields"] == [
            {"id": defaulted, "value": "fallback"},
            {"id": required, "value": "given"},
        ]
        assert list_defects(api, code)["total"] == 2

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"title": 5}, "title"),
            ({"actual_result": None}, "actual_result"),
            ({"actual_result": 5}, "actual_result"),
            ({"severity": None}, "severity"),
            ({"severity": 7}, "severity"),
            ({"severity": -1}, "severity"),
            ({"severity": "3"}, "severity"),
            ({"severity": True}, "severity"),
            ({"severity": 2.5}, "severity"),
            ({"milestone_id": 99}, "milestone_id"),
            ({"milestone_id": "1"}, "milestone_id"),
            ({"tags": [""]}, "tags"),
            ({"tags": ["x" * 256]}, "tags"),
            ({"tags": "ui"}, "tags"),
            ({"attachments": ["0" * 40]}, "attachments"),
            ({"attachments": "abc"}, "attachments"),
            ({"custom_field": {"abc": "1"}}, "custom_field[abc]"),
            ({"custom_field": {"999999999": "x"}}, "custom_field[999999999]"),
            ({"custom_field": {"1": ["x"]}}, "custom_field"),
            ({"custom_field": []}, "custom_field"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, changes: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/defect/{code}", json={**defect_body(), **changes})
        assert response.status_code == 422, response.text
        assert _named(response, field), field_names(response)
        assert list_defects(api, code)["total"] == 0
        assert project_counts(api, code)["defects"] == {"total": 0, "open": 0}

    @pytest.mark.parametrize("field", ["title", "actual_result", "severity"])
    def test_required_fields(self, api: httpx.Client, field: str) -> None:
        code = make_project(api)
        body = defect_body()
        del body[field]
        response = api.post(f"/v1/defect/{code}", json=body)
        assert (response.status_code, field_names(response)) == (422, [field])
        assert list_defects(api, code)["total"] == 0

    def test_body_must_be_a_json_object(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert api.post(f"/v1/defect/{code}", json=["x"]).status_code == 422
        assert api.post(f"/v1/defect/{code}", content=b"{").status_code == 400
        assert list_defects(api, code)["total"] == 0

    def test_another_projects_milestone_or_attachment_is_422(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        milestone, attachment = make_milestone(api, other), upload(api, other)
        response = api.post(f"/v1/defect/{code}", json=defect_body(milestone_id=milestone))
        assert (response.status_code, field_names(response)) == (422, ["milestone_id"])
        response = api.post(f"/v1/defect/{code}", json=defect_body(attachments=[attachment]))
        assert (response.status_code, field_names(response)) == (422, ["attachments"])
        assert list_defects(api, code)["total"] == 0

    def test_a_field_of_another_entity_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        case_field = make_defect_field(api, code, entity=0)
        response = api.post(
            f"/v1/defect/{code}", json=defect_body(custom_field={str(case_field): "x"})
        )
        assert (response.status_code, field_names(response)) == (
            422,
            [f"custom_field[{case_field}]"],
        )

    def test_viewer_cannot_create_but_member_can(
        self, api: httpx.Client, client_as: ClientAs, server: LiveServer
    ) -> None:
        code = make_project(api)
        response = client_as("viewer").post(f"/v1/defect/{code}", json=defect_body())
        assert response.status_code == 403
        assert "defect.create" in response.json()["errorMessage"]
        assert list_defects(api, code)["total"] == 0
        number = make_defect(client_as("member"), code)
        assert get_defect(api, code, number)["author_id"] == actor_of(server, "member").author_id

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.post(f"/v1/defect/{unique_code()}", json=defect_body()).status_code == 404


class TestUpdateDefect:
    def test_changes_the_fields_sent_and_keeps_the_rest(self, api: httpx.Client) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        number = make_defect(api, code, milestone_id=milestone, tags=["ui"])
        before = get_defect(api, code, number)
        response = api.patch(
            f"/v1/defect/{code}/{number}", json={"title": "Renamed", "severity": 1}
        )
        assert response.json() == {"status": True, "result": {"id": number}}
        got = get_defect(api, code, number)
        assert (got["title"], got["severity"], got["actual_result"]) == (
            "Renamed",
            "blocker",
            "500 error",
        )
        assert (got["milestone_id"], [t["title"] for t in got["tags"]]) == (milestone, ["ui"])
        assert got["updated_at"] >= before["updated_at"]
        assert got["created_at"] == before["created_at"]

    def test_replaces_tags_and_attachments_and_clears_the_milestone(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        first, second = upload(api, code), upload(api, code)
        number = make_defect(
            api, code, milestone_id=make_milestone(api, code), tags=["a", "b"], attachments=[first]
        )
        body = {"tags": ["c"], "attachments": [second], "milestone_id": None}
        ok(api.patch(f"/v1/defect/{code}/{number}", json=body))
        got = get_defect(api, code, number)
        assert [t["title"] for t in got["tags"]] == ["c"]
        assert [a["hash"] for a in got["attachments"]] == [second]
        assert got["milestone_id"] is None
        ok(api.patch(f"/v1/defect/{code}/{number}", json={"tags": [], "attachments": []}))
        got = get_defect(api, code, number)
        assert (got["tags"], got["attachments"]) == ([], [])
        assert audit_actions(server, code, "defect", number) == ["create", "update", "update"]

    def test_custom_fields_change_only_where_sent(self, api: httpx.Client) -> None:
        code = make_project(api)
        one, two = make_defect_field(api, code), make_defect_field(api, code, is_required=True)
        number = make_defect(api, code, custom_field={str(one): "a", str(two): "b"})
        ok(api.patch(f"/v1/defect/{code}/{number}", json={"custom_field": {str(one): "z"}}))
        assert get_defect(api, code, number)["custom_fields"] == [
            {"id": one, "value": "z"},
            {"id": two, "value": "b"},
        ]
        response = api.patch(f"/v1/defect/{code}/{number}", json={"custom_field": {str(two): ""}})
        assert (response.status_code, field_names(response)) == (422, [f"custom_field[{two}]"])

    def test_updated_at_moves_when_only_links_change(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        before = get_defect(api, code, number)["updated_at"]
        wait_past_the_second_of(before)  # timestamps have one-second resolution on the wire
        ok(api.patch(f"/v1/defect/{code}/{number}", json={"tags": ["late"]}))
        assert get_defect(api, code, number)["updated_at"] > before

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"actual_result": None}, "actual_result"),
            ({"severity": None}, "severity"),
            ({"severity": 9}, "severity"),
            ({"milestone_id": 42}, "milestone_id"),
            ({"tags": None}, "tags"),
            ({"attachments": None}, "attachments"),
            ({"attachments": ["f" * 40]}, "attachments"),
            ({"custom_field": None}, "custom_field"),
            ({"custom_field": {"x": "1"}}, "custom_field[x]"),
            ({"title": "Changed", "severity": 9}, "severity"),
            ({"tags": ["new"], "milestone_id": 42}, "milestone_id"),
        ],
    )
    def test_bad_input_is_422_and_changes_nothing(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        number = make_defect(api, code, tags=["kept"])
        before = get_defect(api, code, number)
        response = api.patch(f"/v1/defect/{code}/{number}", json=body)
        assert response.status_code == 422, response.text
        assert _named(response, field), field_names(response)
        assert get_defect(api, code, number) == before

    def test_another_projects_or_deleted_defect_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other)
        make_defect(api, other)
        make_defect(api, code)
        assert api.patch(f"/v1/defect/{code}/2", json={"title": "x"}).status_code == 404
        ok(api.delete(f"/v1/defect/{code}/1"))
        assert api.patch(f"/v1/defect/{code}/1", json={"title": "x"}).status_code == 404
        assert get_defect(api, other, 2)["title"] == "Login fails"

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        response = client_as("viewer").patch(f"/v1/defect/{code}/{number}", json={"title": "x"})
        assert response.status_code == 403
        assert get_defect(api, code, number)["title"] == "Login fails"


@pytest.mark.both_backends  # links go by cascade
class TestDeleteDefect:
    def test_deletes_the_defect_and_its_links(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        field, attachment = make_defect_field(api, code), upload(api, code)
        source = add_result(acting, code)
        number = file_from_result(acting, code, source)
        kept = make_defect(api, code)
        body = {"tags": ["ui"], "attachments": [attachment], "custom_field": {str(field): "v"}}
        ok(api.patch(f"/v1/defect/{code}/{number}", json=body))
        defect_id = global_defect_id(server, code, number)
        assert leftovers(server, defect_id) == Leftovers(1, 1, 1, 1)

        response = api.delete(f"/v1/defect/{code}/{number}")
        assert response.json() == {"status": True, "result": {"id": number}}
        assert api.get(f"/v1/defect/{code}/{number}").status_code == 404
        assert leftovers(server, defect_id) == Leftovers(0, 0, 0, 0)
        assert [d["id"] for d in list_defects(api, code)["entities"]] == [kept]
        assert project_counts(api, code)["defects"] == {"total": 1, "open": 1}
        assert api.get(f"/v1/attachment/{attachment}").status_code == 200
        assert audit_actions(server, code, "defect", number)[-1] == "delete"

    def test_deleting_twice_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        assert api.delete(f"/v1/defect/{code}/{number}").status_code == 200
        assert api.delete(f"/v1/defect/{code}/{number}").status_code == 404

    def test_another_projects_defect_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other)
        assert api.delete(f"/v1/defect/{code}/1").status_code == 404
        assert list_defects(api, other)["total"] == 1

    def test_viewer_cannot_delete_but_member_can(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        assert client_as("viewer").delete(f"/v1/defect/{code}/{number}").status_code == 403
        assert list_defects(api, code)["total"] == 1
        assert client_as("member").delete(f"/v1/defect/{code}/{number}").status_code == 200
        assert list_defects(api, code)["total"] == 0
