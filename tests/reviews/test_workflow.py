"""Verdicts, merging and declining: service functions (no v1 operation), on the live database."""

from __future__ import annotations

import httpx
import pytest

from testament.kit.errors import Invalid
from testament.reviews import workflow
from tests.acting import Acting, audit_actions
from tests.factories import make_project
from tests.live import LiveServer
from tests.reviews.helpers import (
    NO_REVIEW,
    author_id,
    author_uuid,
    get_case,
    get_review,
    make_case,
    make_review,
    make_suite,
    ok,
)


def fields_of(raised: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [f.field for f in raised.value.fields]


class TestMerge:
    def test_create_review_creates_the_case(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        field_body = {"title": "Area", "entity": 0, "type": 1, "projects_codes": [code]}
        field = int(ok(api.post("/v1/custom_field", json=field_body))["id"])
        make_case(api, code, "Already there")
        proposed = {
            "title": "Pay by card",
            "priority": "high",
            "is_manual": False,
            "is_muted": True,
            "suite_id": suite,
            "tags": ["cards"],
            "steps": [{"action": "Pay", "expected_result": "Paid"}],
            "parameters": [{"title": "Card", "values": ["Visa", "Amex"]}],
            "custom_field": {str(field): "Billing"},
        }
        number = make_review(api, code, proposed_case=proposed)

        with acting(code) as (session, ctx):
            case = workflow.merge_review(session, ctx, number)
            assert case.number == 2

        review = get_review(api, code, number)
        assert (review["status"], review["case_id"]) == ("merged", 2)
        created = get_case(api, code, 2)
        assert (created["title"], created["priority"], created["suite_id"]) == (
            "Pay by card",
            1,
            suite,
        )
        assert (created["isManual"], created["automation"]) == (False, 2)
        assert [t["title"] for t in created["tags"]] == ["cards"]
        assert [(s["action"], s["expected_result"]) for s in created["steps"]] == [("Pay", "Paid")]
        assert created["params"] == {"Card": ["Visa", "Amex"]}
        assert created["custom_fields"] == [{"id": field, "value": "Billing"}]
        assert audit_actions(server, code, "review", number) == ["create", "merge"]

    def test_edit_review_changes_only_the_proposed_fields(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        case = make_case(api, code, "Log in", description="Keep me", severity=2)
        proposed = {"title": "Sign in", "priority": 3}
        number = make_review(api, code, case_id=case, proposed_case=proposed)
        with acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, number)
        changed = get_case(api, code, case)
        assert (changed["title"], changed["priority"]) == ("Sign in", 3)
        assert (changed["description"], changed["severity"]) == ("Keep me", 2)
        assert get_review(api, code, number)["status"] == "merged"

    def test_proposal_no_longer_valid_is_422_and_changes_nothing(
        self, api: httpx.Client, acting: Acting
    ) -> None:
        code = make_project(api)
        suite = make_suite(api, code)
        number = make_review(api, code, proposed_case={"title": "In suite", "suite_id": suite})
        ok(api.delete(f"/v1/suite/{code}/{suite}"))
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, number)
        assert fields_of(raised) == ["proposed_case.suite_id"]
        assert get_review(api, code, number)["status"] == "open"
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 0

    def test_deleted_case_is_422(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        case = make_case(api, code)
        number = make_review(api, code, case_id=case, proposed_case={"priority": 1})
        ok(api.delete(f"/v1/case/{code}/{case}"))
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, number)
        assert fields_of(raised) == ["case_id"]

    def test_disabled_review_is_422(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api, settings=NO_REVIEW)
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, 1)
        assert fields_of(raised) == ["code"]


class TestDecline:
    def test_declined_review_cannot_be_merged(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        number = make_review(api, code)
        with acting(code) as (session, ctx):
            workflow.decline_review(session, ctx, number)
        assert get_review(api, code, number)["status"] == "declined"
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            workflow.merge_review(session, ctx, number)
        assert fields_of(raised) == ["id"]
        assert ok(api.get(f"/v1/case/{code}"))["total"] == 0


class TestVerdict:
    def test_reviewers_give_verdicts(
        self, api: httpx.Client, acting: Acting, server: LiveServer
    ) -> None:
        code = make_project(api)
        member, owner = author_uuid(api, "member"), author_uuid(api, "owner")
        number = make_review(api, code, reviewers=[member, owner])
        with acting(code) as (session, ctx):
            workflow.set_verdict(session, ctx, number, author_id(session, member), "approved")
            workflow.set_verdict(
                session, ctx, number, author_id(session, owner), "changes_requested"
            )
        assert get_review(api, code, number)["reviewers"] == [
            {"author_uuid": member, "status": "approved"},
            {"author_uuid": owner, "status": "changes_requested"},
        ]
        assert audit_actions(server, code, "review", number) == ["create", "verdict", "verdict"]

    def test_only_an_assigned_reviewer_has_one(self, api: httpx.Client, acting: Acting) -> None:
        code = make_project(api)
        number = make_review(api, code, reviewers=[author_uuid(api, "member")])
        owner = author_uuid(api, "owner")
        with pytest.raises(Invalid) as raised, acting(code) as (session, ctx):
            workflow.set_verdict(session, ctx, number, author_id(session, owner), "approved")
        assert fields_of(raised) == ["author_id"]
