"""`/v1/suite` updates and deletes over HTTP against a live server (responses contract-checked)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.acting import Acting
from tests.factories import make_project
from tests.live import LiveServer
from tests.suites.helpers import (
    CaseRow,
    add_case,
    field_names,
    get_suite,
    list_suites,
    make_suite,
    project_counts,
    stored_cases,
)

ClientAs = Callable[[str | None], httpx.Client]


def _tree(api: httpx.Client, code: str) -> tuple[int, int, int, int]:
    """root > child > grandchild, plus a separate root: their ids."""
    root = make_suite(api, code, "Root")
    child = make_suite(api, code, "Child", parent_id=root)
    grandchild = make_suite(api, code, "Grandchild", parent_id=child)
    other = make_suite(api, code, "Other")
    return root, child, grandchild, other


class TestUpdateSuite:
    def test_changes_the_fields_sent_and_keeps_the_rest(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code, "Old", description="Desc", preconditions="Pre")
        before = get_suite(api, code, suite)
        response = api.patch(
            f"/v1/suite/{code}/{suite}", json={"title": "New", "description": None}
        )
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": suite}}
        after = get_suite(api, code, suite)
        assert (after["title"], after["description"], after["preconditions"]) == (
            "New",
            None,
            "Pre",
        )
        assert after["created_at"] == before["created_at"]
        assert after["updated_at"] >= before["updated_at"]

    def test_empty_body_changes_nothing(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code, "Same")
        before = get_suite(api, code, suite)
        assert api.patch(f"/v1/suite/{code}/{suite}", json={}).status_code == 200
        assert get_suite(api, code, suite) == before

    def test_moves_under_a_new_parent_at_the_end(self, api: httpx.Client) -> None:
        code = make_project(api)
        _, child, _, other = _tree(api, code)
        sibling = make_suite(api, code, "Sibling", parent_id=other)
        assert api.patch(f"/v1/suite/{code}/{child}", json={"parent_id": other}).status_code == 200
        moved = get_suite(api, code, child)
        assert (moved["parent_id"], moved["position"]) == (other, 2)
        assert get_suite(api, code, sibling)["position"] == 1

    def test_parent_null_moves_to_the_root(self, api: httpx.Client) -> None:
        code = make_project(api)
        _, child, _, _ = _tree(api, code)
        assert api.patch(f"/v1/suite/{code}/{child}", json={"parent_id": None}).status_code == 200
        moved = get_suite(api, code, child)
        assert (moved["parent_id"], moved["position"]) == (None, 3)

    def test_same_parent_keeps_the_position(self, api: httpx.Client) -> None:
        code = make_project(api)
        root, child, _, _ = _tree(api, code)
        api.patch(f"/v1/suite/{code}/{child}", json={"parent_id": root, "title": "Renamed"})
        assert get_suite(api, code, child)["position"] == 1

    @pytest.mark.parametrize("target", ["self", "child", "grandchild"])
    def test_a_cycle_is_422_naming_parent_id(self, api: httpx.Client, target: str) -> None:
        code = make_project(api)
        root, child, grandchild, _ = _tree(api, code)
        parent = {"self": root, "child": child, "grandchild": grandchild}[target]
        response = api.patch(f"/v1/suite/{code}/{root}", json={"parent_id": parent, "title": "X"})
        assert response.status_code == 422
        assert field_names(response) == ["parent_id"]
        assert get_suite(api, code, root)["parent_id"] is None
        assert get_suite(api, code, root)["title"] == "Root"

    def test_parent_in_another_project_is_422(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        suite = make_suite(api, code)
        make_suite(api, other)
        make_suite(api, other)
        response = api.patch(f"/v1/suite/{code}/{suite}", json={"parent_id": 2})
        assert response.status_code == 422
        assert field_names(response) == ["parent_id"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"title": "x" * 256}, "title"),
            ({"description": 1}, "description"),
            ({"parent_id": "up"}, "parent_id"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code, "Kept")
        response = api.patch(f"/v1/suite/{code}/{suite}", json=body)
        assert response.status_code == 422
        assert field in field_names(response)
        assert get_suite(api, code, suite)["title"] == "Kept"

    def test_another_projects_suite_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_suite(api, other)
        make_suite(api, other)
        make_suite(api, code)
        assert api.patch(f"/v1/suite/{code}/2", json={"title": "x"}).status_code == 404

    def test_deleted_suite_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        api.delete(f"/v1/suite/{code}/{suite}")
        assert api.patch(f"/v1/suite/{code}/{suite}", json={"title": "x"}).status_code == 404

    def test_viewer_cannot_update(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        suite = make_suite(api, code, "Kept")
        response = client_as("viewer").patch(f"/v1/suite/{code}/{suite}", json={"title": "x"})
        assert response.status_code == 403
        assert get_suite(api, code, suite)["title"] == "Kept"


@pytest.mark.both_backends  # the subtree goes by cascade
class TestDeleteSuite:
    def test_deletes_the_subtree_and_its_cases(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        root, child, grandchild, other = _tree(api, code)
        in_root = add_case(acting, code, suite=root)
        in_grandchild = add_case(acting, code, suite=grandchild)
        kept = add_case(acting, code, suite=other)
        unfiled = add_case(acting, code)

        response = api.delete(f"/v1/suite/{code}/{root}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": root}}

        for gone in (root, child, grandchild):
            assert api.get(f"/v1/suite/{code}/{gone}").status_code == 404
        assert [s["id"] for s in list_suites(api, code)["entities"]] == [other]
        cases = stored_cases(server, code)
        for deleted in (in_root, in_grandchild):
            assert cases[deleted].deleted_at is not None and cases[deleted].suite is None
        assert (cases[kept].suite, cases[kept].deleted_at) == (other, None)
        assert (cases[unfiled].suite, cases[unfiled].deleted_at) == (None, None)
        assert project_counts(api, code)["suites"] == 1
        assert project_counts(api, code)["cases"] == 2

    def test_a_case_deleted_before_keeps_its_deletion_time(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        case = add_case(acting, code, suite=suite, position=0, deleted=True)
        deleted_at = stored_cases(server, code)[case].deleted_at
        api.delete(f"/v1/suite/{code}/{suite}")
        assert stored_cases(server, code)[case] == CaseRow(
            number=case, suite=None, milestone=None, position=0, deleted_at=deleted_at
        )

    def test_destination_receives_the_cases_of_the_subtree(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        root, child, _, other = _tree(api, code)
        already = add_case(acting, code, suite=other, position=4)
        second = add_case(acting, code, suite=root, position=2)
        first = add_case(acting, code, suite=root, position=1)
        nested = add_case(acting, code, suite=child, position=1)
        gone = add_case(acting, code, suite=child, deleted=True)

        response = api.request("DELETE", f"/v1/suite/{code}/{root}", json={"destination_id": other})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"id": root}}

        cases = stored_cases(server, code)
        assert [(cases[c].suite, cases[c].position) for c in (already, first, second, nested)] == [
            (other, 4),
            (other, 5),
            (other, 6),
            (other, 7),
        ]
        assert all(cases[c].deleted_at is None for c in (already, first, second, nested))
        assert (cases[gone].suite, cases[gone].deleted_at is not None) == (None, True)
        assert get_suite(api, code, other)["cases_count"] == 4
        assert project_counts(api, code)["cases"] == 4
        assert [s["id"] for s in list_suites(api, code)["entities"]] == [other]

    def test_destination_null_deletes_the_cases(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        case = add_case(acting, code, suite=suite)
        response = api.request("DELETE", f"/v1/suite/{code}/{suite}", json={"destination_id": None})
        assert response.status_code == 200
        assert stored_cases(server, code)[case].deleted_at is not None

    @pytest.mark.parametrize("target", ["self", "grandchild", "missing", "other project"])
    def test_bad_destination_is_422_and_deletes_nothing(
        self, api: httpx.Client, acting: Acting, server: LiveServer, target: str
    ) -> None:
        code, elsewhere = make_project(api), make_project(api)
        for _ in range(5):
            make_suite(api, elsewhere)
        root, _, grandchild, _ = _tree(api, code)
        case = add_case(acting, code, suite=root)
        destination = {"self": root, "grandchild": grandchild, "missing": 99, "other project": 5}
        response = api.request(
            "DELETE", f"/v1/suite/{code}/{root}", json={"destination_id": destination[target]}
        )
        assert response.status_code == 422
        assert field_names(response) == ["destination_id"]
        assert list_suites(api, code)["total"] == 4
        assert (
            stored_cases(server, code)[case].suite,
            stored_cases(server, code)[case].deleted_at,
        ) == (root, None)

    def test_bad_destination_type_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        response = api.request("DELETE", f"/v1/suite/{code}/{suite}", json={"destination_id": "x"})
        assert response.status_code == 422
        assert field_names(response) == ["destination_id"]
        assert list_suites(api, code)["total"] == 1

    def test_deleting_twice_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        assert api.delete(f"/v1/suite/{code}/{suite}").status_code == 200
        assert api.delete(f"/v1/suite/{code}/{suite}").status_code == 404

    def test_another_projects_suite_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_suite(api, other)
        make_suite(api, other)
        assert api.delete(f"/v1/suite/{code}/2").status_code == 404
        assert list_suites(api, other)["total"] == 2

    def test_numbers_are_not_reused_after_delete(self, api: httpx.Client) -> None:
        code = make_project(api)
        make_suite(api, code)
        api.delete(f"/v1/suite/{code}/1")
        assert make_suite(api, code) == 2

    def test_viewer_cannot_delete_but_member_can(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        assert client_as("viewer").delete(f"/v1/suite/{code}/{suite}").status_code == 403
        assert list_suites(api, code)["total"] == 1
        assert client_as("member").delete(f"/v1/suite/{code}/{suite}").status_code == 200
        assert list_suites(api, code)["total"] == 0
