"""Upload limits: per file, per request, number of files, with and without Content-Length.

Most run on `limited_server` (64 KiB per file, 160 KiB per request, 3 files); one checks the
default 32 MiB per-file limit on the ordinary server.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import httpx

from tests.attachments.conftest import MAX_FILE, MAX_FILES, MAX_REQUEST
from tests.attachments.helpers import (
    attachment_total,
    blob_path,
    chunked,
    temp_files,
    upload,
    upload_ok,
)
from tests.factories import make_project
from tests.live import LiveServer


def assert_413_naming(response: httpx.Response, field: str, filename: str) -> None:
    assert response.status_code == 413, response.text
    body = response.json()
    assert [f["field"] for f in body["errorFields"]] == [field]
    assert filename in body["errorMessage"]
    assert filename in body["errorFields"][0]["error"]


def assert_nothing_stored(
    client: httpx.Client, server: LiveServer, before: int, *contents: bytes
) -> None:
    assert attachment_total(client) == before
    for content in contents:
        assert not blob_path(server, content).exists()
    assert temp_files(server) == []


class TestPerFileLimit:
    def test_a_file_one_byte_too_big_is_413_naming_it(
        self, limited_api: httpx.Client, limited_server: LiveServer
    ) -> None:
        code = make_project(limited_api)
        before = attachment_total(limited_api)
        fine, too_big = os.urandom(1000), os.urandom(MAX_FILE + 1)
        response = upload(limited_api, code, ("fine.txt", fine, None), ("huge.bin", too_big, None))
        assert_413_naming(response, "file[1]", "huge.bin")
        assert_nothing_stored(limited_api, limited_server, before, fine, too_big)

    def test_a_file_of_exactly_the_limit_is_accepted(self, limited_api: httpx.Client) -> None:
        code = make_project(limited_api)
        [entry] = upload_ok(limited_api, code, ("exact.bin", os.urandom(MAX_FILE), None))
        assert limited_api.get(f"/v1/attachment/{entry['hash']}").json()["result"]["size"] == (
            MAX_FILE
        )

    def test_the_default_limit_is_32_mib(self, api: httpx.Client, server: LiveServer) -> None:
        code = make_project(api)
        before = attachment_total(api)
        content = os.urandom(32 * 1024 * 1024 + 1)
        response = upload(api, code, ("movie.mp4", content, "video/mp4"))
        assert_413_naming(response, "file[0]", "movie.mp4")
        assert_nothing_stored(api, server, before, content)


class TestRequestLimit:
    def test_files_together_over_the_limit_are_413_naming_the_last(
        self, limited_api: httpx.Client, limited_server: LiveServer
    ) -> None:
        code = make_project(limited_api)
        before = attachment_total(limited_api)
        parts = [os.urandom(MAX_FILE - 10) for _ in range(3)]
        assert sum(map(len, parts)) > MAX_REQUEST
        response = upload(
            limited_api, code, *[(f"part{i}.bin", p, None) for i, p in enumerate(parts)]
        )
        assert_413_naming(response, "file[2]", "part2.bin")
        assert_nothing_stored(limited_api, limited_server, before, *parts)

    def test_too_many_files_is_413_naming_the_first_extra(
        self, limited_api: httpx.Client, limited_server: LiveServer
    ) -> None:
        code = make_project(limited_api)
        before = attachment_total(limited_api)
        parts = [os.urandom(100) for _ in range(MAX_FILES + 1)]
        response = upload(limited_api, code, *[(f"n{i}.txt", p, None) for i, p in enumerate(parts)])
        assert_413_naming(response, f"file[{MAX_FILES}]", f"n{MAX_FILES}.txt")
        assert "at most 3 files" in response.json()["errorMessage"]
        assert_nothing_stored(limited_api, limited_server, before, *parts)

    def test_the_maximum_number_of_files_is_accepted(self, limited_api: httpx.Client) -> None:
        code = make_project(limited_api)
        upload_ok(limited_api, code, *[(f"n{i}.txt", b"x", None) for i in range(MAX_FILES)])


class TestWithoutContentLength:
    def test_a_chunked_upload_is_counted_while_streaming(
        self, limited_api: httpx.Client, limited_server: LiveServer
    ) -> None:
        code = make_project(limited_api)
        before = attachment_total(limited_api)
        too_big = os.urandom(MAX_FILE * 2)
        request = limited_api.build_request(
            "POST", f"/v1/attachment/{code}", files=[("file[]", ("stream.bin", too_big))]
        )
        body = request.read()
        response = limited_api.post(
            f"/v1/attachment/{code}",
            content=chunked(body),
            headers={"Content-Type": request.headers["Content-Type"]},
        )
        assert_413_naming(response, "file[0]", "stream.bin")
        assert_nothing_stored(limited_api, limited_server, before, too_big)

    def test_a_chunked_upload_within_limits_is_stored(self, limited_api: httpx.Client) -> None:
        code = make_project(limited_api)
        content = os.urandom(MAX_FILE // 2)
        request = limited_api.build_request(
            "POST", f"/v1/attachment/{code}", files=[("file[]", ("ok.bin", content))]
        )
        response = limited_api.post(
            f"/v1/attachment/{code}",
            content=chunked(request.read(), size=1000),
            headers={"Content-Type": request.headers["Content-Type"]},
        )
        assert response.status_code == 200, response.text
        assert httpx.get(response.json()["result"][0]["url"]).content == content


class TestDeclaredLength:
    def test_too_large_a_content_length_is_refused_before_the_body(
        self, limited_server: LiveServer, limited_api: httpx.Client
    ) -> None:
        """Only the headers are sent: the 413 must come without the server reading a body."""
        code = make_project(limited_api)
        address = urlsplit(limited_server.url)
        head = (
            f"POST /v1/attachment/{code} HTTP/1.1\r\n"
            f"Host: {address.netloc}\r\n"
            f"Token: {limited_server.tokens['admin']}\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n"
            f"Content-Length: {50 * MAX_REQUEST}\r\n"
            "Connection: close\r\n\r\n"
        )
        with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
            sock.sendall(head.encode())
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        status_line, _, rest = answer.partition(b"\r\n")
        assert b" 413 " in status_line, answer
        assert b'"field":"file[]"' in rest
