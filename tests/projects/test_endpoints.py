"""`/v1/project` over HTTP against a live server (every response checked against the contract)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.factories import make_project, unique_code
from tests.live import LiveServer

ClientAs = Callable[[str | None], httpx.Client]


class TestCreateProject:
    def test_creates_and_answers_the_code_upper_cased(self, api: httpx.Client) -> None:
        code = unique_code()
        response = api.post("/v1/project", json={"title": "Web shop", "code": code.lower()})
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"code": code}}
        got = api.get(f"/v1/project/{code}").json()["result"]
        assert got["title"] == "Web shop" and got["code"] == code

    @pytest.mark.both_backends  # case-insensitive code
    def test_duplicate_code_is_422_naming_code(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post("/v1/project", json={"title": "Again", "code": code.lower()})
        assert response.status_code == 422
        assert [f["field"] for f in response.json()["errorFields"]] == ["code"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"code": "ABCD"}, "title"),
            ({"title": "No code"}, "code"),
            ({"title": "x", "code": "A"}, "code"),
            ({"title": "x", "code": "ABCDEFGHIJK"}, "code"),
            ({"title": "x", "code": "AB12"}, "code"),
            ({"title": 5, "code": "ABCD"}, "title"),
            ({"title": "x", "code": "ABCD", "access": "everyone"}, "access"),
            ({"title": "x", "code": "ABCD", "access": "group"}, "body"),
            ({"title": "x", "code": "ABCD", "settings": "yes"}, "settings"),
        ],
    )
    def test_bad_input_is_422_naming_the_field(
        self, api: httpx.Client, body: dict[str, object], field: str
    ) -> None:
        response = api.post("/v1/project", json=body)
        assert response.status_code == 422, response.text
        assert field in [f["field"] for f in response.json()["errorFields"]]
        assert response.json()["status"] is False

    def test_bad_input_writes_nothing(self, api: httpx.Client) -> None:
        before = api.get("/v1/project", params={"limit": 1}).json()["result"]["total"]
        api.post("/v1/project", json={"title": "", "code": "ABCD"})
        after = api.get("/v1/project", params={"limit": 1}).json()["result"]["total"]
        assert after == before

    def test_unknown_group_is_422(self, api: httpx.Client) -> None:
        body = {"title": "x", "code": unique_code(), "access": "group", "group": "nope"}
        response = api.post("/v1/project", json=body)
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "group"

    def test_member_and_viewer_cannot_create(self, client_as: ClientAs) -> None:
        for role in ("member", "viewer"):
            response = client_as(role).post(
                "/v1/project", json={"title": "x", "code": unique_code()}
            )
            assert response.status_code == 403
            assert "project.create" in response.json()["errorMessage"]


class TestGetProject:
    def test_counts_start_at_zero(self, api: httpx.Client) -> None:
        code = make_project(api)
        result = api.get(f"/v1/project/{code}").json()["result"]
        assert result["counts"] == {
            "cases": 0,
            "suites": 0,
            "milestones": 0,
            "runs": {"total": 0, "active": 0},
            "defects": {"total": 0, "open": 0},
        }

    @pytest.mark.both_backends  # case-insensitive code
    def test_code_is_case_insensitive(self, api: httpx.Client) -> None:
        code = make_project(api)
        assert api.get(f"/v1/project/{code.lower()}").status_code == 200

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        response = api.get(f"/v1/project/{unique_code()}")
        assert response.status_code == 404
        assert response.json()["status"] is False

    def test_code_out_of_bounds_is_400(self, api: httpx.Client) -> None:
        response = api.get("/v1/project/ABCDEFGHIJKLMN")
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == "code"

    def test_viewer_can_read(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as("viewer").get(f"/v1/project/{code}").status_code == 200


class TestListProjects:
    def test_pages_cover_every_project_once(self, api: httpx.Client) -> None:
        created = {make_project(api) for _ in range(5)}
        total = api.get("/v1/project", params={"limit": 1}).json()["result"]["total"]
        seen: list[str] = []
        for offset in range(0, total, 2):
            page = api.get("/v1/project", params={"limit": 2, "offset": offset}).json()["result"]
            assert page["count"] == len(page["entities"]) <= 2
            assert page["total"] == page["filtered"] == total
            seen += [p["code"] for p in page["entities"]]
        assert len(seen) == len(set(seen)) == total
        assert created <= set(seen)

    def test_default_limit_is_10(self, api: httpx.Client) -> None:
        for _ in range(11):
            make_project(api)
        assert api.get("/v1/project").json()["result"]["count"] == 10

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"limit": 0}, "limit"),
            ({"limit": 101}, "limit"),
            ({"limit": "ten"}, "limit"),
            ({"offset": -1}, "offset"),
            ({"offset": 100001}, "offset"),
        ],
    )
    def test_bad_paging_is_400_naming_the_parameter(
        self, api: httpx.Client, params: dict[str, object], field: str
    ) -> None:
        response = api.get("/v1/project", params=params)
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == field
        assert field in response.json()["errorMessage"]

    def test_offset_past_the_end_is_an_empty_page(self, api: httpx.Client) -> None:
        result = api.get("/v1/project", params={"offset": 100000}).json()["result"]
        assert result["count"] == 0 and result["entities"] == []


@pytest.mark.both_backends  # delete cascades
class TestDeleteProject:
    def test_deleted_project_is_gone(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.delete(f"/v1/project/{code}")
        assert response.status_code == 200
        assert response.json() == {"status": True}
        assert api.get(f"/v1/project/{code}").status_code == 404
        codes = [
            p["code"]
            for p in api.get("/v1/project", params={"limit": 100}).json()["result"]["entities"]
        ]
        assert code not in codes

    def test_code_can_be_reused_after_delete(self, api: httpx.Client) -> None:
        code = make_project(api)
        api.delete(f"/v1/project/{code}")
        assert api.post("/v1/project", json={"title": "Again", "code": code}).status_code == 200

    def test_attachment_files_go_with_the_project(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        doomed, kept = make_project(api), make_project(api)
        store = Path(server.env["TESTAMENT_DATA_DIR"]) / "attachments"

        def upload(code: str, content: bytes) -> None:
            files = [("file[]", ("f.bin", content, "application/octet-stream"))]
            assert api.post(f"/v1/attachment/{code}", files=files).status_code == 200

        only_doomed, shared = os.urandom(64), os.urandom(64)
        upload(doomed, only_doomed)
        upload(doomed, shared)
        upload(kept, shared)
        blobs = {p.name for p in store.rglob("*") if p.is_file()}
        assert {
            hashlib.sha256(only_doomed).hexdigest(),
            hashlib.sha256(shared).hexdigest(),
        } <= blobs

        assert api.delete(f"/v1/project/{doomed}").status_code == 200
        left = {p.name for p in store.rglob("*") if p.is_file()}
        assert hashlib.sha256(only_doomed).hexdigest() not in left
        assert hashlib.sha256(shared).hexdigest() in left, "still used by another project"

    def test_member_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        assert client_as("member").delete(f"/v1/project/{code}").status_code == 403
        assert api.get(f"/v1/project/{code}").status_code == 200

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        assert api.delete(f"/v1/project/{unique_code()}").status_code == 404


class TestProjectAccess:
    def test_restricted_project_is_hidden_until_granted(
        self, api: httpx.Client, client_as: ClientAs
    ) -> None:
        code = make_project(api, access="none")
        member = client_as("member")
        assert member.get(f"/v1/project/{code}").status_code == 404
        listed = member.get("/v1/project", params={"limit": 100}).json()["result"]["entities"]
        assert code not in [p["code"] for p in listed]

        member_id = _user_id(api, "member@example.com")
        grant = api.post(f"/v1/project/{code}/access", json={"member_id": member_id})
        assert grant.status_code == 200 and grant.json() == {"status": True}
        assert member.get(f"/v1/project/{code}").status_code == 200

        revoke = api.request("DELETE", f"/v1/project/{code}/access", json={"member_id": member_id})
        assert revoke.status_code == 200
        assert member.get(f"/v1/project/{code}").status_code == 404

    def test_unknown_member_is_422(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(f"/v1/project/{code}/access", json={"member_id": 999999})
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "member_id"

    def test_member_cannot_grant(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = client_as("member").post(f"/v1/project/{code}/access", json={"member_id": 1})
        assert response.status_code == 403


def _user_id(api: httpx.Client, email: str) -> int:
    users = api.get("/v1/user", params={"limit": 100}).json()["result"]["entities"]
    return int(next(u["id"] for u in users if u["email"] == email))
