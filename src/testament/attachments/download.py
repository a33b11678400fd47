"""`GET /attachments/{hash}/{filename}`: the bytes behind an attachment's `url` (outside /v1).

No token: the URL itself is the credential. The API signs it (HMAC with an expiry) for callers
who may read the attachment, so only URLs the API issued, and only until they expire, work.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Iterator
from typing import Annotated, BinaryIO
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi import Request as FastApiRequest
from sqlalchemy import select
from starlette.responses import StreamingResponse

from testament.attachments.urls import DOWNLOAD_PREFIX, url_signer
from testament.http.deps import SessionDep
from testament.kit.errors import Forbidden, Gone, NotFound
from testament.models.attachments import Attachment
from testament.storage import BlobNotFound, store_for

log = logging.getLogger("testament.attachments")

router = APIRouter(tags=["attachments"])

CHUNK_BYTES = 256 * 1024


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII fallback plus the exact UTF-8 name."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join("_" if c in '"\\' or not c.isprintable() else c for c in fallback).strip()
    return (
        f'attachment; filename="{fallback or "file"}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk
    finally:
        stream.close()


@router.get(
    DOWNLOAD_PREFIX + "/{hash}/{filename}",
    operation_id="download-attachment",
    include_in_schema=False,
)
def download_attachment(
    request: FastApiRequest,
    session: SessionDep,
    hash: Annotated[str, Path(max_length=64)],
    filename: Annotated[str, Path(max_length=1024)],
    expires: Annotated[int | None, Query()] = None,
    signature: Annotated[str | None, Query(max_length=128)] = None,
) -> StreamingResponse:
    """Stream the attachment's bytes, if the URL is signed and not expired."""
    if expires is None or signature is None:
        raise Forbidden("This download link is not signed: get it from the API (`url`).")
    if not url_signer(session).is_valid(hash, expires, signature):
        raise Forbidden("This download link is not valid.")
    if expires < time.time():
        raise Forbidden("This download link has expired: get a fresh one from the API.")
    row = session.scalar(select(Attachment).where(Attachment.hash == hash))
    if row is None:
        # The signature proves this server issued the link, so the attachment existed.
        raise Gone("This attachment was deleted after the link was issued.")
    if row.filename != filename:
        raise NotFound("Attachment not found.")
    try:
        stream = store_for(request.app.state).open(row.content_sha256)
    except BlobNotFound as exc:
        log.error("attachment %s: its blob %s is missing", row.hash, row.content_sha256)
        raise NotFound("Attachment content not found.") from exc
    headers = {
        "Content-Type": row.mime,
        "Content-Length": str(row.size),
        "Content-Disposition": content_disposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        # Even if opened in a browser tab, the file gets no script and no access to this origin.
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=3600",
    }
    return StreamingResponse(_chunks(stream), headers=headers)
