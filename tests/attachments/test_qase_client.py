"""The official `qase-api-client` (PyPI) drives attachments against a live server."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from qase.api_client_v1.api.attachments_api import AttachmentsApi
from qase.api_client_v1.exceptions import ApiException, ForbiddenException, NotFoundException

from tests.attachments.helpers import download
from tests.factories import make_project


def test_upload_list_get_delete(
    api: httpx.Client, qase_for: Callable[..., object], tmp_path: Path
) -> None:
    attachments = AttachmentsApi(qase_for())
    code = make_project(api)
    on_disk = tmp_path / "screenshot.png"
    on_disk.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    in_memory = os.urandom(1500)

    uploaded = attachments.upload_attachment(
        code, file=[str(on_disk), ("trace.zip", in_memory), b"raw bytes"]
    )
    assert uploaded.status is True
    first, second, third = uploaded.result
    assert (first.filename, first.mime, first.extension) == ("screenshot.png", "image/png", "png")
    assert (second.filename, second.mime, second.extension) == (
        "trace.zip",
        "application/zip",
        "zip",
    )
    assert third.filename == "file[]" and third.mime == "application/octet-stream"
    assert first.team and first.team == second.team
    assert download(first.url).content == on_disk.read_bytes()
    assert download(second.url).content == in_memory
    assert download(third.url).content == b"raw bytes"

    got = attachments.get_attachment(first.hash)
    assert got.result.hash == first.hash and got.result.file == "screenshot.png"
    assert got.result.size == on_disk.stat().st_size and got.result.extension == "png"
    assert got.result.mime == "image/png" and got.result.full_path == got.result.url

    listed = attachments.get_attachments(limit=100)
    assert listed.result.total >= 3 and listed.result.count == len(listed.result.entities)
    seen: set[str] = set()
    for offset in range(0, listed.result.total, 100):
        page = attachments.get_attachments(limit=100, offset=offset)
        seen |= {entity.hash for entity in page.result.entities}
    assert {first.hash, second.hash, third.hash} <= seen

    deleted = attachments.delete_attachment(second.hash)
    assert deleted.status is True and deleted.result.hash == second.hash
    with pytest.raises(NotFoundException):
        attachments.get_attachment(second.hash)


def test_errors_are_api_exceptions(api: httpx.Client, qase_for: Callable[..., object]) -> None:
    code = make_project(api)
    admin = AttachmentsApi(qase_for())
    [entry] = admin.upload_attachment(code, file=[("a.txt", b"a")]).result
    with pytest.raises(ForbiddenException):
        AttachmentsApi(qase_for("viewer")).delete_attachment(entry.hash)
    with pytest.raises(NotFoundException):
        admin.upload_attachment("NOPROJECT", file=[("a.txt", b"a")])
    with pytest.raises(ApiException) as raised:
        admin.upload_attachment(code, file=[])
    assert raised.value.status == 400
