"""Helpers for attachment tests: uploads over HTTP, downloads, and a look inside the store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from testament.attachments.instance import URL_KEY
from testament.attachments.urls import UrlSigner
from testament.models.instance import InstanceSecret
from tests.acting import under_the_api
from tests.live import LiveServer

# (filename, content, content type or None for none sent)
FilePart = tuple[str, bytes, str | None]


def upload(client: httpx.Client, code: str, *files: FilePart) -> httpx.Response:
    parts = [
        ("file[]", (name, content, ctype) if ctype else (name, content))
        for name, content, ctype in files
    ]
    return client.post(f"/v1/attachment/{code}", files=parts)


def upload_ok(client: httpx.Client, code: str, *files: FilePart) -> list[dict[str, object]]:
    response = upload(client, code, *files)
    assert response.status_code == 200, response.text
    result: list[dict[str, object]] = response.json()["result"]
    assert len(result) == len(files)
    return result


def download(url: str) -> httpx.Response:
    """A download URL is not an API route: fetched without the contract-checking client."""
    return httpx.get(url, timeout=30)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def store_root(server: LiveServer) -> Path:
    return Path(server.env["TESTAMENT_DATA_DIR"]).resolve() / "attachments"


def blob_path(server: LiveServer, content: bytes) -> Path:
    digest = sha256(content)
    return store_root(server) / digest[:2] / digest[2:4] / digest


def stored_blobs(server: LiveServer) -> set[Path]:
    return {p for p in store_root(server).glob("??/??/*") if p.is_file()}


def temp_files(server: LiveServer) -> list[Path]:
    return list((store_root(server) / "tmp").iterdir())


def attachment_total(client: httpx.Client) -> int:
    response = client.get("/v1/attachment", params={"limit": 1})
    assert response.status_code == 200, response.text
    return int(response.json()["result"]["total"])


def signed_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def server_signer(server: LiveServer) -> UrlSigner:
    """The server's URL signer, read from its database (to forge expired-but-valid links)."""
    with under_the_api(server) as session:
        key = session.scalar(select(InstanceSecret.value).where(InstanceSecret.name == URL_KEY))
    assert key is not None
    return UrlSigner(bytes.fromhex(key))


def chunked(content: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body without Content-Length (sent with chunked transfer encoding)."""
    for start in range(0, len(content), size):
        yield content[start : start + size]
