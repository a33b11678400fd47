"""Uploads and deletes of the same content at the same time leave rows and blobs consistent."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.attachments.helpers import blob_path, download, upload_ok
from tests.conftest import make_client
from tests.factories import make_project
from tests.live import LiveServer

# Concurrent uploads and deletes: locking differs by dialect (advisory locks on PostgreSQL).
pytestmark = pytest.mark.both_backends

WORKERS = 6
ROUNDS = 5


def test_racing_uploads_and_deletes_of_one_content(api: httpx.Client, server: LiveServer) -> None:
    code = make_project(api)
    content = os.urandom(50_000)

    def churn(worker: int) -> str:
        with make_client(server, server.tokens["member"]) as client:
            for round_number in range(ROUNDS):
                [entry] = upload_ok(client, code, (f"w{worker}-{round_number}.bin", content, None))
                if round_number < ROUNDS - 1:
                    deleted = client.delete(f"/v1/attachment/{entry['hash']}")
                    assert deleted.status_code == 200, deleted.text
            return str(entry["url"])

    with ThreadPoolExecutor(WORKERS) as pool:
        kept = list(pool.map(churn, range(WORKERS)))

    assert blob_path(server, content).exists()
    for url in kept:
        assert download(url).content == content
    for url in kept:
        attachment_hash = url.split("/attachments/")[1].split("/")[0]
        assert api.delete(f"/v1/attachment/{attachment_hash}").status_code == 200
    assert not blob_path(server, content).exists()
