"""`POST /v1/attachment/{code}` over HTTP: real bytes in, the same bytes back out."""

from __future__ import annotations

import os
from collections.abc import Callable

import httpx
import pytest

from tests.attachments.helpers import (
    attachment_total,
    blob_path,
    download,
    stored_blobs,
    upload,
    upload_ok,
)
from tests.factories import make_project
from tests.live import LiveServer

# Uploads take per-content locks (advisory on PostgreSQL) and link with insert-or-ignore.
pytestmark = pytest.mark.both_backends

ClientAs = Callable[[str | None], httpx.Client]


class TestUploadOneFile:
    def test_answers_the_upload_and_reads_back_byte_for_byte(self, api: httpx.Client) -> None:
        code = make_project(api)
        content = b"Hello, attachments!\n"
        [uploaded] = upload_ok(api, code, ("notes.txt", content, "text/plain"))
        assert uploaded["filename"] == "notes.txt"
        assert uploaded["mime"] == "text/plain"
        assert uploaded["extension"] == "txt"
        assert isinstance(uploaded["hash"], str) and len(uploaded["hash"]) == 40
        assert isinstance(uploaded["team"], str) and uploaded["team"]
        assert str(uploaded["url"]).startswith(str(api.base_url).rstrip("/") + "/attachments/")

        got = api.get(f"/v1/attachment/{uploaded['hash']}").json()["result"]
        assert got["hash"] == uploaded["hash"]
        assert got["file"] == "notes.txt"
        assert (got["mime"], got["size"], got["extension"]) == ("text/plain", len(content), "txt")
        assert got["url"] == got["full_path"]

        fetched = download(str(uploaded["url"]))
        assert fetched.status_code == 200
        assert fetched.content == content
        assert download(got["url"]).content == content

    def test_binary_content_survives_every_byte_value(self, api: httpx.Client) -> None:
        code = make_project(api)
        content = bytes(range(256)) * 64 + b"\r\n--not-a-boundary\r\n" + bytes(range(255, -1, -1))
        [uploaded] = upload_ok(api, code, ("blob.bin", content, "application/octet-stream"))
        assert download(str(uploaded["url"])).content == content

    def test_a_file_over_one_mebibyte(self, api: httpx.Client) -> None:
        code = make_project(api)
        content = os.urandom(3 * 1024 * 1024 + 12345)
        [uploaded] = upload_ok(api, code, ("big.dat", content, None))
        got = api.get(f"/v1/attachment/{uploaded['hash']}").json()["result"]
        assert got["size"] == len(content)
        fetched = download(str(uploaded["url"]))
        assert fetched.headers["content-length"] == str(len(content))
        assert fetched.content == content

    def test_an_empty_file_is_stored(self, api: httpx.Client) -> None:
        code = make_project(api)
        [uploaded] = upload_ok(api, code, ("empty.log", b"", "text/plain"))
        assert api.get(f"/v1/attachment/{uploaded['hash']}").json()["result"]["size"] == 0
        assert download(str(uploaded["url"])).content == b""


class TestUploadSeveralFiles:
    def test_answers_one_entry_per_file_in_order(self, api: httpx.Client) -> None:
        code = make_project(api)
        files = [
            ("one.png", os.urandom(2000), "image/png"),
            ("two.json", b'{"a": 1}', "application/json"),
            ("three.csv", b"a,b\n1,2\n", "text/csv"),
        ]
        uploaded = upload_ok(api, code, *files)
        assert [u["filename"] for u in uploaded] == ["one.png", "two.json", "three.csv"]
        assert [u["mime"] for u in uploaded] == ["image/png", "application/json", "text/csv"]
        assert len({u["hash"] for u in uploaded}) == 3
        for (_name, content, _ctype), entry in zip(files, uploaded, strict=True):
            assert download(str(entry["url"])).content == content

    def test_a_plain_file_field_and_other_form_fields(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(
            f"/v1/attachment/{code}",
            data={"comment": "ignored"},
            files=[("file", ("plain.txt", b"plain", "text/plain"))],
        )
        assert response.status_code == 200, response.text
        [entry] = response.json()["result"]
        assert entry["filename"] == "plain.txt"
        assert download(entry["url"]).content == b"plain"


class TestNamesAndTypes:
    def test_a_path_in_the_filename_is_only_a_display_name(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        content = b"root:x:0:0:not really\n"
        [uploaded] = upload_ok(api, code, ("../../etc/passwd", content, "text/plain"))
        assert uploaded["filename"] == "passwd"
        assert blob_path(server, content).read_bytes() == content
        assert download(str(uploaded["url"])).content == content

    def test_windows_paths_and_dot_names(self, api: httpx.Client) -> None:
        code = make_project(api)
        uploaded = upload_ok(
            api,
            code,
            ("C:\\Users\\me\\report.PDF", b"%PDF-1.4", None),
            ("..", b"dots", None),
        )
        assert uploaded[0]["filename"] == "report.PDF"
        assert uploaded[0]["extension"] == "pdf"
        assert uploaded[0]["mime"] == "application/pdf"
        assert uploaded[1]["filename"] == "file"
        assert uploaded[1]["extension"] == ""

    def test_unicode_filename_round_trips(self, api: httpx.Client) -> None:
        code = make_project(api)
        [uploaded] = upload_ok(api, code, ("отчёт 2024 — финал.txt", b"data", "text/plain"))
        assert uploaded["filename"] == "отчёт 2024 — финал.txt"
        fetched = download(str(uploaded["url"]))
        assert fetched.content == b"data"
        assert "filename*=UTF-8''%D0%BE%D1%82" in fetched.headers["content-disposition"]

    def test_mime_falls_back_to_the_extension(self, api: httpx.Client) -> None:
        code = make_project(api)
        uploaded = upload_ok(
            api,
            code,
            ("shot.png", b"\x89PNG", "application/octet-stream"),
            ("page.html", b"<p>", None),
            ("mystery", b"?", None),
        )
        assert [u["mime"] for u in uploaded] == [
            "image/png",
            "text/html",
            "application/octet-stream",
        ]


class TestStorage:
    def test_the_same_content_twice_is_stored_once(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        content = os.urandom(4096)
        before = stored_blobs(server)
        first = upload_ok(api, code, ("a.bin", content, None))[0]
        second = upload_ok(api, code, ("b.bin", content, None), ("c.bin", content, None))
        assert stored_blobs(server) - before == {blob_path(server, content)}
        hashes = {first["hash"], second[0]["hash"], second[1]["hash"]}
        assert len(hashes) == 3
        for entry in (first, *second):
            assert download(str(entry["url"])).content == content


class TestUploadErrors:
    def test_no_file_is_422_naming_the_field(self, api: httpx.Client) -> None:
        code = make_project(api)
        before = attachment_total(api)
        response = api.post(
            f"/v1/attachment/{code}",
            content=b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--xyz--\r\n',
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        )
        assert response.status_code == 422
        assert response.json()["errorFields"][0]["field"] == "file[]"
        assert attachment_total(api) == before

    def test_a_json_body_is_400(self, api: httpx.Client) -> None:
        code = make_project(api)
        response = api.post(f"/v1/attachment/{code}", json={"file": "x"})
        assert response.status_code == 400
        assert "multipart/form-data" in response.json()["errorMessage"]

    def test_a_truncated_body_is_400_and_stores_nothing(
        self, api: httpx.Client, server: LiveServer
    ) -> None:
        code = make_project(api)
        before = attachment_total(api)
        content = os.urandom(1000)
        body = (
            b'--xyz\r\nContent-Disposition: form-data; name="file[]"; filename="cut.bin"\r\n\r\n'
            + content
        )
        response = api.post(
            f"/v1/attachment/{code}",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        )
        assert response.status_code == 400
        assert attachment_total(api) == before
        assert not blob_path(server, content).exists()

    def test_viewer_cannot_upload(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = upload(client_as("viewer"), code, ("x.txt", b"x", "text/plain"))
        assert response.status_code == 403
        assert "attachment.create" in response.json()["errorMessage"]

    def test_unknown_project_is_404(self, api: httpx.Client) -> None:
        response = upload(api, "NOSUCHPRJ", ("x.txt", b"x", "text/plain"))
        assert response.status_code == 404

    def test_hidden_project_is_404(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api, access="none")
        response = upload(client_as("member"), code, ("x.txt", b"x", "text/plain"))
        assert response.status_code == 404

    def test_without_a_token_is_401(self, api: httpx.Client, client_as: ClientAs) -> None:
        code = make_project(api)
        response = upload(client_as(None), code, ("x.txt", b"x", "text/plain"))
        assert response.status_code == 401
