"""get-defect and get-defects over HTTP (responses checked against the contract)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.acting import Acting
from tests.defects.helpers import (
    add_result,
    field_names,
    file_from_result,
    list_defects,
    make_defect,
    make_defect_field,
    make_milestone,
    ok,
    set_status,
    upload,
)
from tests.factories import make_project

ClientAs = Callable[[str | None], httpx.Client]


class TestGetDefect:
    def test_another_projects_defect_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other)
        make_defect(api, other)
        make_defect(api, code)
        assert api.get(f"/v1/defect/{code}/2").status_code == 404
        assert api.get(f"/v1/defect/{other}/2").status_code == 200

    def test_deleted_defect_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_defect(api, code)
        ok(api.delete(f"/v1/defect/{code}/{number}"))
        response = api.get(f"/v1/defect/{code}/{number}")
        assert response.status_code == 404
        assert f"no defect {number}" in response.json()["errorMessage"]

    @pytest.mark.parametrize("number", ["abc", "0", "-1", str(2**31), str(10**30)])
    def test_bad_id_is_400_naming_id(self, api: httpx.Client, number: str) -> None:
        code = make_project(api)
        for response in (
            api.get(f"/v1/defect/{code}/{number}"),
            api.patch(f"/v1/defect/{code}/{number}", json={"title": "x"}),
            api.delete(f"/v1/defect/{code}/{number}"),
            api.patch(f"/v1/defect/{code}/resolve/{number}"),
            api.patch(f"/v1/defect/{code}/status/{number}", json={"status": "invalid"}),
        ):
            assert response.status_code == 400
            assert field_names(response) == ["id"]

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_defect(api, code, title="Readable")
        got = client_as("viewer").get(f"/v1/defect/{code}/{number}")
        assert got.status_code == 200 and got.json()["result"]["title"] == "Readable"

    def test_a_restricted_project_is_hidden(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        make_defect(api, code)
        assert client_as("viewer").get(f"/v1/defect/{code}/1").status_code == 404
        assert client_as("viewer").get(f"/v1/defect/{code}").status_code == 404


class TestListDefects:
    def test_lists_this_projects_defects_in_id_order(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_defect(api, other, title="Elsewhere")
        make_defect(api, code, title="One")
        make_defect(api, code, title="Two", severity=1)
        result = list_defects(api, code)
        assert result["total"] == result["filtered"] == result["count"] == 2
        assert [(d["id"], d["title"], d["severity"]) for d in result["entities"]] == [
            (1, "One", "major"),
            (2, "Two", "blocker"),
        ]

    def test_every_entity_carries_its_own_links(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        milestone, field = make_milestone(api, code), make_defect_field(api, code)
        attachment = upload(api, code)
        make_defect(api, code, tags=["a"], milestone_id=milestone)
        make_defect(api, code, attachments=[attachment], custom_field={str(field): "x"})
        source = add_result(acting, code)
        file_from_result(acting, code, source)
        entities = list_defects(api, code)["entities"]
        assert [[t["title"] for t in d["tags"]] for d in entities] == [["a"], [], []]
        assert [d["milestone_id"] for d in entities] == [milestone, None, None]
        assert [[a["hash"] for a in d["attachments"]] for d in entities] == [[], [attachment], []]
        assert [d["custom_fields"] for d in entities] == [[], [{"id": field, "value": "x"}], []]
        assert [(d["runs"], d["results"]) for d in entities] == [
            ([], []),
            ([], []),
            ([source.run_number], [source.result_hash]),
        ]

    @pytest.mark.parametrize("status", ["open", "in_progress", "resolved", "invalid"])
    def test_status_filter(self, api: httpx.Client, status: str) -> None:
        code = make_project(api)
        numbers = {s: make_defect(api, code, title=s) for s in ("in_progress", "open", "invalid")}
        numbers["resolved"] = make_defect(api, code, title="resolved")
        numbers["also_open"] = make_defect(api, code, title="open too")
        for target in ("in_progress", "invalid", "resolved"):
            set_status(api, code, numbers[target], target)
        result = list_defects(api, code, status=status)
        expected = [numbers[status]] + ([numbers["also_open"]] if status == "open" else [])
        assert [d["id"] for d in result["entities"]] == expected
        assert all(d["status"] == status for d in result["entities"])
        assert (result["total"], result["filtered"], result["count"]) == (
            5,
            len(expected),
            len(expected),
        )

    @pytest.mark.parametrize("status", ["closed", "OPEN", "", "1"])
    def test_unknown_status_is_400_naming_it(self, api: httpx.Client, status: str) -> None:
        code = make_project(api)
        response = api.get(f"/v1/defect/{code}", params={"status": status})
        assert response.status_code == 400
        assert field_names(response) == ["status"]

    def test_pages_cover_every_defect_once(self, api: httpx.Client) -> None:
        code = make_project(api)
        for i in range(5):
            make_defect(api, code, title=f"D{i}")
        seen: list[int] = []
        for offset in (0, 2, 4):
            page = list_defects(api, code, limit=2, offset=offset)
            assert page["count"] == len(page["entities"]) == min(2, 5 - offset)
            assert page["total"] == page["filtered"] == 5
            seen += [d["id"] for d in page["entities"]]
        assert seen == [1, 2, 3, 4, 5]
        assert list_defects(api, code, limit=2, offset=10)["entities"] == []

    def test_filtered_pages(self, api: httpx.Client) -> None:
        code = make_project(api)
        for _ in range(4):
            make_defect(api, code)
        ok(api.patch(f"/v1/defect/{code}/resolve/2"))
        page = list_defects(api, code, status="open", limit=2, offset=2)
        assert [d["id"] for d in page["entities"]] == [4]
        assert (page["total"], page["filtered"], page["count"]) == (4, 3, 1)

    def test_default_page_is_ten(self, api: httpx.Client) -> None:
        code = make_project(api)
        for _ in range(11):
            make_defect(api, code)
        result = ok(api.get(f"/v1/defect/{code}"))
        assert (result["total"], result["count"]) == (11, 10)

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": "x"}, "offset")],
    )
    def test_bad_paging_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/defect/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_an_empty_project(self, api: httpx.Client) -> None:
        result = list_defects(api, make_project(api))
        assert (result["total"], result["filtered"], result["count"]) == (0, 0, 0)
        assert result["entities"] == []
