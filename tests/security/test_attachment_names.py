"""An attachment's `filename*` (RFC 8187) in a charset other than UTF-8 or ISO-8859-1 is a 400,
not a 500: Python's `punycode`, `idna`, `undefined` codecs failed in odd ways, and
`unicode_escape` would hand back lone surrogates no column can store."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import make_project

BOUNDARY = "hardening-boundary"


def upload_named(api: httpx.Client, code: str, disposition_name: str) -> httpx.Response:
    body = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file[]"; {disposition_name}\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "data\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode("latin-1")
    return api.post(
        f"/v1/attachment/{code}",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


@pytest.mark.parametrize(
    "charset", ["punycode", "idna", "undefined", "unicode_escape", "utf-16", "rot13", "nonsense"]
)
def test_an_unusual_charset_is_400(api: httpx.Client, charset: str) -> None:
    code = make_project(api)
    response = upload_named(api, code, f"filename*={charset}''%5Cud83d%FF.txt")
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["errorFields"][0]["field"] == "body"
    assert "filename*" in body["errorMessage"]
    assert "UTF-8" in body["errorMessage"]


@pytest.mark.parametrize(
    ("disposition", "shown"),
    [
        ("filename*=UTF-8''caf%C3%A9.txt", "café.txt"),
        ("filename*=utf-8'en'caf%C3%A9.txt", "café.txt"),
        ("filename*=ISO-8859-1''caf%E9.txt", "café.txt"),
        ("filename*=''plain.txt", "plain.txt"),
        ("filename*=UTF-8''%ED%A0%BD.txt", "\ufffd\ufffd\ufffd.txt"),
    ],
)
def test_utf8_and_latin1_names_are_decoded(api: httpx.Client, disposition: str, shown: str) -> None:
    code = make_project(api)
    response = upload_named(api, code, disposition)
    assert response.status_code == 200, response.text
    assert response.json()["result"][0]["filename"] == shown
