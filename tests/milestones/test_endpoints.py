"""`/v1/milestone` over HTTP against a live server (every response checked against the contract)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project, unique_code
from tests.live import LiveServer
from tests.milestones.helpers import get_milestone, list_milestones, make_milestone
from tests.suites.helpers import add_case, field_names, project_counts, stored_cases

ClientAs = Callable[[str | None], httpx.Client]
LEGACY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
DUE = 1640892239  # 2021-12-30T19:23:59+00:00


class TestCreateMilestone:
    def test_creates_and_reads_back_every_field(self, api: httpx.Client) -> None:
        code = make_project(api)
        body = {"title": "v1.0", "description": "First", "status": "completed", "due_date": DUE}
        response = api.post(f"/v1/milestone/{code}", json=body)
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": 1}}
        got = get_milestone(api, code, 1)
        assert {k: got[k] for k in ("id", "title", "description", "status", "due_date")} == {
            "id": 1,
            "title": "v1.0",
            "description": "First",
            "status": "completed",
            "due_date": "2021-12-30T19:23:59+00:00",
        }
        created_at = datetime.fromisoformat(got["created_at"])
        assert created_at.tzinfo is not None and created_at <= datetime.now(UTC)
        assert LEGACY.match(got["created"]) and LEGACY.match(got["updated"])
        assert got["created"] == created_at.strftime("%Y-%m-%d %H:%M:%S")

    def test_defaults(self, api: httpx.Client) -> None:
        code = make_project(api)
        got = get_milestone(api, code, make_milestone(api, code, "Bare"))
        assert (got["status"], got["description"], got["due_date"]) == ("active", None, None)

    def test_ids_are_numbered_per_project_and_counted(self, api: httpx.Client) -> None:
        one, two = make_project(api), make_project(api)
        assert [make_milestone(api, one), make_milestone(api, one)] == [1, 2]
        assert make_milestone(api, two) == 1
        assert project_counts(api, one)["milestones"] == 2

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"title": 5}, "title"),
            ({"title": "x", "description": 5}, "description"),
            ({"title": "x", "status": "done"}, "status"),
            ({"title": "x", "status": None}, "status"),
            ({"title": "x", "due_date": "soon"}, "due_date"),
            ({"title": "x", "due_date": "2021-12-30"}, "due_date"),
            ({"title": "x", "due_date": 1.5}, "due_date"),
            ({"title": "x", "due_date": -1}, "due_date"),
            ({"title": "x", "due_date": 10**15}, "due_date"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.post(f"/v1/milestone/{code}", json=body)
        assert response.status_code == 422, response.text
        assert field in field_names(response)
        assert list_milestones(api, code)["total"] == 0

    def test_viewer_cannot_create(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = client_as("viewer").post(f"/v1/milestone/{code}", json={"title": "x"})
        assert response.status_code == 403
        assert "milestone.create" in response.json()["errorMessage"]
        assert list_milestones(api, code)["total"] == 0

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.post(f"/v1/milestone/{unique_code()}", json={"title": "x"}).status_code == 404


class TestGetMilestone:
    def test_another_projects_milestone_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_milestone(api, other)
        make_milestone(api, other)
        make_milestone(api, code)
        assert api.get(f"/v1/milestone/{code}/2").status_code == 404

    @pytest.mark.parametrize("milestone_id", [2**31, 2**63, 10**30])
    def test_ids_beyond_any_number_are_404(self, api: httpx.Client, milestone_id: int) -> None:
        code = make_project(api)
        make_milestone(api, code)
        assert api.get(f"/v1/milestone/{code}/{milestone_id}").status_code == 404
        assert api.delete(f"/v1/milestone/{code}/{milestone_id}").status_code == 404

    @pytest.mark.parametrize("milestone_id", ["abc", "0"])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, milestone_id: str) -> None:
        code = make_project(api)
        response = api.get(f"/v1/milestone/{code}/{milestone_id}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code, "Readable")
        got = client_as("viewer").get(f"/v1/milestone/{code}/{milestone}")
        assert got.status_code == 200 and got.json()["result"]["title"] == "Readable"


@pytest.mark.both_backends  # search: lower() and LIKE
class TestListMilestones:
    def test_lists_this_projects_milestones_in_id_order(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_milestone(api, other, "Elsewhere")
        make_milestone(api, code, "One")
        make_milestone(api, code, "Two", status="completed")
        result = list_milestones(api, code)
        assert result["total"] == result["filtered"] == result["count"] == 2
        assert [(m["id"], m["title"], m["status"]) for m in result["entities"]] == [
            (1, "One", "active"),
            (2, "Two", "completed"),
        ]

    def test_search_matches_part_of_the_title_ignoring_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        for title in ("Release 1", "Sprint", "release 2", "Pre-RELEASE"):
            make_milestone(api, code, title)
        result = list_milestones(api, code, search="Release")
        assert [m["title"] for m in result["entities"]] == ["Release 1", "release 2", "Pre-RELEASE"]
        assert (result["total"], result["filtered"], result["count"]) == (4, 3, 3)

    def test_search_treats_wildcards_literally(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_milestone(api, code, "50% done")
        make_milestone(api, code, "500 bugs")
        assert [m["title"] for m in list_milestones(api, code, search="0%")["entities"]] == [
            "50% done"
        ]

    def test_pages_cover_every_milestone_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        for i in range(5):
            make_milestone(api, code, f"M{i}")
        seen: list[int] = []
        for offset in (0, 2, 4):
            page = list_milestones(api, code, limit=2, offset=offset)
            assert page["count"] == len(page["entities"]) == min(2, 5 - offset)
            assert page["total"] == page["filtered"] == 5
            seen += [m["id"] for m in page["entities"]]
        assert seen == [1, 2, 3, 4, 5]

    @pytest.mark.parametrize(
        ("params", "field"), [({"limit": 0}, "limit"), ({"offset": "x"}, "offset")]
    )
    def test_bad_paging_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/milestone/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]


class TestUpdateMilestone:
    def test_changes_the_fields_sent_and_keeps_the_rest(self, api: httpx.Client) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code, "Old", description="Desc", due_date=DUE)
        response = api.patch(
            f"/v1/milestone/{code}/{milestone}", json={"title": "New", "status": "completed"}
        )
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": milestone}}
        got = get_milestone(api, code, milestone)
        assert (got["title"], got["status"], got["description"]) == ("New", "completed", "Desc")
        assert got["due_date"] == "2021-12-30T19:23:59+00:00"

    def test_due_date_can_be_changed_and_cleared(self, api: httpx.Client) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        api.patch(f"/v1/milestone/{code}/{milestone}", json={"due_date": DUE + 3600})
        assert get_milestone(api, code, milestone)["due_date"] == "2021-12-30T20:23:59+00:00"
        api.patch(f"/v1/milestone/{code}/{milestone}", json={"due_date": None})
        assert get_milestone(api, code, milestone)["due_date"] is None

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"status": "closed"}, "status"),
            ({"status": None}, "status"),
            ({"due_date": "tomorrow"}, "due_date"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code, "Kept")
        response = api.patch(f"/v1/milestone/{code}/{milestone}", json=body)
        assert response.status_code == 422
        assert field in field_names(response)
        assert get_milestone(api, code, milestone)["title"] == "Kept"

    def test_another_projects_or_deleted_milestone_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_milestone(api, other)
        make_milestone(api, other)
        make_milestone(api, code)
        assert api.patch(f"/v1/milestone/{code}/2", json={"title": "x"}).status_code == 404
        api.delete(f"/v1/milestone/{code}/1")
        assert api.patch(f"/v1/milestone/{code}/1", json={"title": "x"}).status_code == 404

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code, "Kept")
        response = client_as("viewer").patch(
            f"/v1/milestone/{code}/{milestone}", json={"title": "x"}
        )
        assert response.status_code == 403
        assert get_milestone(api, code, milestone)["title"] == "Kept"


@pytest.mark.both_backends  # cases are unassigned (SET NULL)
class TestDeleteMilestone:
    def test_deletes_and_unassigns_its_cases(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        kept = make_milestone(api, code, "Kept")
        assigned = add_case(acting, code, milestone=milestone)
        elsewhere = add_case(acting, code, milestone=kept)

        response = api.delete(f"/v1/milestone/{code}/{milestone}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": milestone}}
        assert api.get(f"/v1/milestone/{code}/{milestone}").status_code == 404
        assert [m["id"] for m in list_milestones(api, code)["entities"]] == [kept]
        cases = stored_cases(server, code)
        assert (cases[assigned].milestone, cases[assigned].deleted_at) == (None, None)
        assert cases[elsewhere].milestone == kept
        assert project_counts(api, code)["milestones"] == 1
        assert project_counts(api, code)["cases"] == 2

    def test_deleting_twice_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        assert api.delete(f"/v1/milestone/{code}/{milestone}").status_code == 200
        assert api.delete(f"/v1/milestone/{code}/{milestone}").status_code == 404

    def test_another_projects_milestone_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_milestone(api, other)
        assert api.delete(f"/v1/milestone/{code}/1").status_code == 404
        assert list_milestones(api, other)["total"] == 1

    def test_viewer_cannot_delete_but_member_can(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        code = make_project(api)
        milestone = make_milestone(api, code)
        assert client_as("viewer").delete(f"/v1/milestone/{code}/{milestone}").status_code == 403
        assert list_milestones(api, code)["total"] == 1
        assert client_as("member").delete(f"/v1/milestone/{code}/{milestone}").status_code == 200
        assert list_milestones(api, code)["total"] == 0
