"""`GET /attachments/{hash}/{filename}`: signed, expiring download links."""

from __future__ import annotations

import time
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pytest

from tests.attachments.helpers import download, server_signer, signed_query, upload_ok
from tests.factories import make_project
from tests.live import LiveServer


def with_query(url: str, **params: str | int) -> str:
    parts = urlsplit(url)
    query = {**signed_query(url), **{k: str(v) for k, v in params.items()}}
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture
def uploaded(api: httpx.Client) -> dict[str, str]:
    code = make_project(api)
    [entry] = upload_ok(api, code, ('say "hi".html', b"<script>alert(1)</script>", "text/html"))
    return {k: str(v) for k, v in entry.items()}


class TestDownload:
    def test_headers_make_the_browser_download_not_render(self, uploaded: dict[str, str]) -> None:
        response = download(uploaded["url"])
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html"
        assert response.headers["content-length"] == str(len(response.content))
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"say _hi_.html\"; filename*=UTF-8''say%20%22hi%22.html"
        )
        assert "sandbox" in response.headers["content-security-policy"]

    def test_the_url_is_stable_and_lives_a_week(
        self, api: httpx.Client, uploaded: dict[str, str]
    ) -> None:
        again = api.get(f"/v1/attachment/{uploaded['hash']}").json()["result"]["url"]
        assert signed_query(again) == signed_query(uploaded["url"])
        expires = int(signed_query(again)["expires"])
        assert 7 * 86400 <= expires - time.time() <= 8 * 86400

    def test_links_point_at_the_server_asked(self, api: httpx.Client, server: LiveServer) -> None:
        assert uploaded_url_base(api) == server.url


class TestRefused:
    def test_without_a_signature_is_403(self, uploaded: dict[str, str]) -> None:
        bare = urlunsplit(urlsplit(uploaded["url"])._replace(query=""))
        response = download(bare)
        assert response.status_code == 403
        assert response.json()["status"] is False

    def test_a_tampered_signature_is_403(self, uploaded: dict[str, str]) -> None:
        signature = signed_query(uploaded["url"])["signature"]
        flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
        assert download(with_query(uploaded["url"], signature=flipped)).status_code == 403

    def test_a_longer_expiry_breaks_the_signature(self, uploaded: dict[str, str]) -> None:
        later = int(signed_query(uploaded["url"])["expires"]) + 86400
        assert download(with_query(uploaded["url"], expires=later)).status_code == 403

    def test_a_signature_for_another_hash_is_403(
        self, api: httpx.Client, uploaded: dict[str, str]
    ) -> None:
        code = make_project(api)
        [other] = upload_ok(api, code, ("other.txt", b"other", None))
        signature = signed_query(uploaded["url"])["signature"]
        assert download(with_query(str(other["url"]), signature=signature)).status_code == 403

    def test_an_expired_but_genuine_signature_is_403(
        self, server: LiveServer, uploaded: dict[str, str]
    ) -> None:
        expires = int(time.time()) - 60
        signature = server_signer(server).signature(uploaded["hash"], expires)
        response = download(with_query(uploaded["url"], expires=expires, signature=signature))
        assert response.status_code == 403
        assert "expired" in response.json()["errorMessage"]

    def test_a_genuine_signature_still_valid_works(
        self, server: LiveServer, uploaded: dict[str, str]
    ) -> None:
        expires = int(time.time()) + 60
        signature = server_signer(server).signature(uploaded["hash"], expires)
        response = download(with_query(uploaded["url"], expires=expires, signature=signature))
        assert response.status_code == 200

    def test_a_different_filename_is_404(self, uploaded: dict[str, str]) -> None:
        parts = urlsplit(uploaded["url"])
        renamed = parts.path.rsplit("/", 1)[0] + "/other.html"
        assert download(urlunsplit(parts._replace(path=renamed))).status_code == 404

    def test_a_non_numeric_expiry_is_400(self, uploaded: dict[str, str]) -> None:
        response = download(with_query(uploaded["url"], expires="soon"))
        assert response.status_code == 400
        assert response.json()["errorFields"][0]["field"] == "expires"


def uploaded_url_base(api: httpx.Client) -> str:
    code = make_project(api)
    [entry] = upload_ok(api, code, ("x.txt", b"x", None))
    parts = urlsplit(str(entry["url"]))
    assert parts.path.startswith("/attachments/")
    return f"{parts.scheme}://{parts.netloc}"
