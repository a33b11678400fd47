"""`GET /v1/review/{code}` and `/v1/review/{code}/{id}` over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from testament.reviews import workflow
from tests.acting import Acting
from tests.factories import make_project, unique_code
from tests.reviews.helpers import (
    author_uuid,
    field_names,
    get_review,
    list_reviews,
    make_case,
    make_review,
    ok,
)

ClientAs = Callable[[str | None], httpx.Client]


def titles(result: dict[str, Any]) -> list[str]:
    return [review["title"] for review in result["entities"]]


class TestGetReview:
    def test_unknown_number_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.get(f"/v1/review/{code}/1")
        assert response.status_code == 404
        assert response.json()["status"] is False

    def test_another_projects_review_is_404(self, api: httpx.Client) -> None:
        code, other = make_project(api), make_project(api)
        make_review(api, other)
        assert api.get(f"/v1/review/{code}/1").status_code == 404

    def test_deleted_review_is_404(self, api: httpx.Client) -> None:
        code = make_project(api)
        number = make_review(api, code)
        ok(api.delete(f"/v1/review/{code}/{number}"))
        assert api.get(f"/v1/review/{code}/{number}").status_code == 404

    @pytest.mark.parametrize("bad", ["0", "abc", str(2**31)])
    def test_malformed_id_is_400(self, api: httpx.Client, bad: str) -> None:
        code = make_project(api)
        response = api.get(f"/v1/review/{code}/{bad}")
        assert response.status_code == 400
        assert field_names(response) == ["id"]

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.get(f"/v1/review/{unique_code()}/1").status_code == 404

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        number = make_review(api, code)
        got = ok(client_as("viewer").get(f"/v1/review/{code}/{number}"))
        assert got["title"] == "New case"

    def test_shared_parameter_deleted_leaves_the_open_proposal(self, api: httpx.Client) -> None:
        code = make_project(api)
        shared_body = {
            "title": "Browsers",
            "type": "single",
            "is_enabled_for_all_projects": False,
            "project_codes": [code],
            "parameters": [{"title": "Browser", "values": ["Chrome"]}],
        }
        shared = str(ok(api.post("/v1/shared_parameter", json=shared_body))["id"])
        own = {"title": "Size", "values": ["S"]}
        proposed = {"title": "Case", "parameters": [own, {"shared_id": shared}]}
        number = make_review(api, code, proposed_case=proposed)
        ok(api.delete(f"/v1/shared_parameter/{shared}"))
        assert get_review(api, code, number)["proposed_case"]["parameters"] == [
            {"shared_id": None, "type": "single", "item": own}
        ]


@pytest.mark.both_backends  # search: lower() and LIKE
class TestListReviews:
    def test_empty_project(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert list_reviews(api, code) == {"total": 0, "filtered": 0, "count": 0, "entities": []}

    def test_pages_cover_every_review_once_in_id_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        for index in range(5):
            make_review(api, code, proposed_case={"title": f"Review {index}"})
        seen: list[int] = []
        for offset in (0, 2, 4):
            page = ok(api.get(f"/v1/review/{code}", params={"limit": 2, "offset": offset}))
            assert (page["total"], page["filtered"]) == (5, 5)
            assert page["count"] == len(page["entities"]) == (2 if offset < 4 else 1)
            seen += [review["id"] for review in page["entities"]]
        assert seen == [1, 2, 3, 4, 5]

    def test_entities_are_reviews_without_the_proposal(self, api: httpx.Client) -> None:
        code = make_project(api)
        member = author_uuid(api, "member")
        make_review(api, code, reviewers=[member])
        entity = list_reviews(api, code)["entities"][0]
        detailed = get_review(api, code, 1)
        assert "proposed_case" not in entity
        assert entity == {k: v for k, v in detailed.items() if k != "proposed_case"}
        assert entity["reviewers"] == [{"author_uuid": member, "status": "unapproved"}]

    def test_filter_by_status(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        for title in ("Open", "Merged", "Declined"):
            make_review(api, code, proposed_case={"title": title})
        with acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, 2)
            workflow.decline_review(session, ctx, 3)
        for status in ("open", "merged", "declined"):
            result = list_reviews(api, code, status=status)
            assert titles(result) == [status.title()]
            assert (result["total"], result["filtered"]) == (3, 1)

    def test_filter_by_type_and_case(self, api: httpx.Client) -> None:
        code = make_project(api)
        first, second = make_case(api, code, "First"), make_case(api, code, "Second")
        make_review(api, code, proposed_case={"title": "Draft"})
        make_review(api, code, case_id=first, proposed_case={"priority": 1})
        make_review(api, code, case_id=second, proposed_case={"priority": 2})
        assert titles(list_reviews(api, code, type="create")) == ["Draft"]
        assert titles(list_reviews(api, code, type="edit")) == ["First", "Second"]
        assert titles(list_reviews(api, code, case_id=second)) == ["Second"]
        assert list_reviews(api, code, case_id=99)["filtered"] == 0

    def test_filter_by_author_and_reviewer(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        admin, member = author_uuid(api, "admin"), author_uuid(api, "member")
        make_review(api, code, proposed_case={"title": "By admin"}, reviewers=[member])
        make_review(client_as("member"), code, proposed_case={"title": "By member"})
        make_review(api, code, proposed_case={"title": "Both"}, reviewers=[admin, member])
        assert titles(list_reviews(api, code, author_uuid=member)) == ["By member"]
        assert titles(list_reviews(api, code, author_uuid=admin.upper())) == ["By admin", "Both"]
        assert titles(list_reviews(api, code, reviewer_uuid=member)) == ["By admin", "Both"]
        assert titles(list_reviews(api, code, reviewer_uuid=admin)) == ["Both"]
        unknown = "0b0b0b0b-0000-4000-8000-000000000000"
        assert list_reviews(api, code, reviewer_uuid=unknown)["filtered"] == 0

    def test_search_in_titles(self, api: httpx.Client) -> None:
        code = make_project(api)
        for title in ("Pay by card", "Pay 100% upfront", "Log in"):
            make_review(api, code, proposed_case={"title": title})
        assert titles(list_reviews(api, code, search="PAY")) == ["Pay by card", "Pay 100% upfront"]
        assert titles(list_reviews(api, code, search="%")) == ["Pay 100% upfront"]

    def test_filters_combine(self, api: httpx.Client) -> None:
        code = make_project(api)
        case = make_case(api, code, "Pay")
        make_review(api, code, proposed_case={"title": "Pay twice"})
        make_review(api, code, case_id=case, proposed_case={"priority": 1})
        result = list_reviews(api, code, search="pay", type="edit", status="open")
        assert titles(result) == ["Pay"]
        assert (result["total"], result["filtered"], result["count"]) == (2, 1, 1)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "closed"}, "status"),
            ({"type": "delete"}, "type"),
            ({"case_id": 0}, "case_id"),
            ({"case_id": "one"}, "case_id"),
            ({"author_uuid": "nope"}, "author_uuid"),
            ({"reviewer_uuid": "nope"}, "reviewer_uuid"),
            ({"limit": 0}, "limit"),
            ({"offset": -1}, "offset"),
        ],
    )
    def test_bad_filter_is_400_naming_it(
        self, api: httpx.Client, params: dict[str, Any], field: str
    ) -> None:
        code = make_project(api)
        response = api.get(f"/v1/review/{code}", params=params)
        assert response.status_code == 400
        assert field_names(response) == [field]

    def test_viewer_can_list(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        make_review(api, code)
        assert ok(client_as("viewer").get(f"/v1/review/{code}"))["total"] == 1

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.get(f"/v1/review/{unique_code()}").status_code == 404
