"""`GET /v1/attachment`, `GET` and `DELETE /v1/attachment/{hash}` over HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable

import httpx
import pytest

from tests.attachments.helpers import blob_path, download, upload_ok
from tests.factories import make_project
from tests.live import LiveServer

# Deletes retire blobs under per-content locks (advisory on PostgreSQL) and cascade links.
pytestmark = pytest.mark.both_backends

ClientAs = Callable[[str | None], httpx.Client]


def all_hashes(client: httpx.Client, limit: int = 100) -> list[str]:
    seen: list[str] = []
    offset = 0
    while True:
        result = client.get("/v1/attachment", params={"limit": limit, "offset": offset}).json()
        entities = result["result"]["entities"]
        seen += [e["hash"] for e in entities]
        offset += limit
        if offset >= result["result"]["total"]:
            return seen


class TestGetAttachments:
    def test_pages_through_every_attachment_oldest_first(self, api: httpx.Client) -> None:
        code = make_project(api)
        uploaded = upload_ok(api, code, *[(f"f{i}.txt", f"{i}".encode(), None) for i in range(5)])
        mine = [u["hash"] for u in uploaded]
        listed = api.get("/v1/attachment", params={"limit": 2}).json()["result"]
        assert listed["count"] == 2 and len(listed["entities"]) == 2
        assert listed["filtered"] == listed["total"] >= 5
        everything = all_hashes(api, limit=2)
        assert len(everything) == len(set(everything)) == listed["total"]
        assert [h for h in everything if h in mine] == mine

    def test_entities_have_every_field(self, api: httpx.Client) -> None:
        code = make_project(api)
        content = os.urandom(777)
        [uploaded] = upload_ok(api, code, ("photo.JPG", content, "image/jpeg"))
        total = api.get("/v1/attachment", params={"limit": 1}).json()["result"]["total"]
        last = api.get("/v1/attachment", params={"limit": 1, "offset": total - 1}).json()
        [entity] = last["result"]["entities"]
        assert entity["hash"] == uploaded["hash"]
        assert entity["file"] == "photo.JPG"
        assert (entity["mime"], entity["size"], entity["extension"]) == ("image/jpeg", 777, "jpg")
        assert entity["url"] == entity["full_path"]
        assert download(entity["url"]).content == content

    def test_hidden_projects_are_left_out(self, api: httpx.Client, client_as: ClientAs) -> None:
        hidden = make_project(api, access="none")
        open_code = make_project(api)
        [secret] = upload_ok(api, hidden, ("secret.txt", b"s", None))
        [public] = upload_ok(api, open_code, ("public.txt", b"p", None))
        member = client_as("member")
        member_sees = all_hashes(member)
        assert public["hash"] in member_sees and secret["hash"] not in member_sees
        assert secret["hash"] in all_hashes(api)

    def test_viewer_can_list(self, client_as: ClientAs) -> None:
        assert client_as("viewer").get("/v1/attachment").status_code == 200

    @pytest.mark.parametrize(
        ("params", "field"), [({"limit": 0}, "limit"), ({"offset": -1}, "offset")]
    )
    def test_bad_paging_is_400_naming_it(
        self, api: httpx.Client, params: dict[str, int], field: str
    ) -> None:
        response = api.get("/v1/attachment", params=params)
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == field


class TestGetAttachment:
    def test_unknown_hash_is_404(self, api: httpx.Client) -> None:
        response = api.get(f"/v1/attachment/{'0' * 40}")
        assert response.status_code == 404

    def test_too_long_a_hash_is_400(self, api: httpx.Client) -> None:
        response = api.get(f"/v1/attachment/{'a' * 65}")
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == "hash"

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        [entry] = upload_ok(api, code, ("x.txt", b"x", None))
        assert client_as("member").get(f"/v1/attachment/{entry['hash']}").status_code == 404
        assert api.get(f"/v1/attachment/{entry['hash']}").status_code == 200

    def test_granted_access_makes_it_visible(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        [entry] = upload_ok(api, code, ("x.txt", b"x", None))
        member = client_as("member")
        assert member.get(f"/v1/attachment/{entry['hash']}").status_code == 404
        users = api.get("/v1/user", params={"limit": 100}).json()["result"]["entities"]
        member_id = next(u["id"] for u in users if u["email"] == "member@example.com")
        api.post(f"/v1/project/{code}/access", json={"member_id": member_id})
        assert member.get(f"/v1/attachment/{entry['hash']}").status_code == 200


class TestDeleteAttachment:
    def test_deletes_and_answers_the_hash(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        content = os.urandom(3000)
        [entry] = upload_ok(api, code, ("gone.bin", content, None))
        response = api.delete(f"/v1/attachment/{entry['hash']}")
        assert response.status_code == 200
        assert response.json() == {"status": True, "result": {"hash": entry["hash"]}}
        assert api.get(f"/v1/attachment/{entry['hash']}").status_code == 404
        assert api.delete(f"/v1/attachment/{entry['hash']}").status_code == 404
        assert not blob_path(server, content).exists()
        assert download(str(entry["url"])).status_code == 410  # the link was ours: gone

    def test_the_blob_stays_while_another_attachment_uses_it(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        first_code, second_code = make_project(api), make_project(api)
        content = os.urandom(5000)
        [first] = upload_ok(api, first_code, ("a.bin", content, None))
        [second] = upload_ok(api, second_code, ("b.bin", content, None))
        assert api.delete(f"/v1/attachment/{first['hash']}").status_code == 200
        assert blob_path(server, content).exists()
        assert download(str(second["url"])).content == content
        assert api.delete(f"/v1/attachment/{second['hash']}").status_code == 200
        assert not blob_path(server, content).exists()

    def test_viewer_cannot_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        [entry] = upload_ok(api, code, ("x.txt", b"x", None))
        response = client_as("viewer").delete(f"/v1/attachment/{entry['hash']}")
        assert response.status_code == 403
        assert "attachment.delete" in response.json()["errorMessage"]
        assert api.get(f"/v1/attachment/{entry['hash']}").status_code == 200

    def test_member_can_delete(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        [entry] = upload_ok(api, code, ("x.txt", b"x", None))
        assert client_as("member").delete(f"/v1/attachment/{entry['hash']}").status_code == 200

    def test_hidden_project_is_404_and_nothing_is_deleted(
        self, api: httpx.Client, client_as: ClientAs, server: LiveServer
    ) -> None:
        code = make_project(api, access="none")
        content = os.urandom(100)
        [entry] = upload_ok(api, code, ("x.txt", content, None))
        assert client_as("member").delete(f"/v1/attachment/{entry['hash']}").status_code == 404
        assert api.get(f"/v1/attachment/{entry['hash']}").status_code == 200
        assert blob_path(server, content).exists()
