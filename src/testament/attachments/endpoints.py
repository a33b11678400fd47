"""`/v1/attachment` routes: parse, authorize, call the service, wrap in the envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.attachments import listing, service
from testament.attachments.schemas import AttachmentGet, AttachmentHash, AttachmentUpload
from testament.attachments.staging import discard_all
from testament.attachments.upload import (
    UploadLimits,
    check_content_type,
    check_declared_length,
    receive_files,
)
from testament.http.deps import BaseUrl, Page, SessionDep, project_access, require
from testament.kit.envelope import Envelope, ListResult
from testament.storage import store_for

router = APIRouter(prefix="/attachment", tags=["attachments"])

CanReadAttachments = Annotated[Actor, Depends(require("attachment.read"))]
CanDeleteAttachments = Annotated[Actor, Depends(require("attachment.delete"))]
CanUploadAttachments = Annotated[ProjectContext, Depends(project_access("attachment.create"))]
Hash = Annotated[str, Path(min_length=1, max_length=64, description="Hash.")]


@router.get("", operation_id="get-attachments", response_model=Envelope[ListResult[AttachmentGet]])
def get_attachments(
    actor: CanReadAttachments, session: SessionDep, page: Page, base_url: BaseUrl
) -> object:
    """List the attachments of every project the caller can see, oldest first."""
    return Envelope(result=listing.list_attachments(session, actor, page, base_url=base_url))


@router.post(
    "/{code}", operation_id="upload-attachment", response_model=Envelope[list[AttachmentUpload]]
)
async def upload_attachment(
    ctx: CanUploadAttachments, session: SessionDep, request: Request, base_url: BaseUrl
) -> object:
    """Upload files (multipart field `file[]`) to the project; one entry per file, in order."""
    settings = request.app.state.settings
    limits = UploadLimits.from_settings(settings)
    boundary = check_content_type(request)
    check_declared_length(request, limits)
    store = store_for(request.app.state)
    # The request's transaction has not begun yet (authentication reads in its own, see
    # http.deps), so no lock is held while the files arrive; the rows are written after.
    files = await receive_files(request, store, limits, boundary)
    try:
        uploaded = await run_in_threadpool(
            service.store_uploads,
            session,
            ctx,
            store,
            files,
            base_url,
            settings.attachment_quota_bytes,
        )
    finally:
        await run_in_threadpool(discard_all, files)
    return Envelope(result=uploaded)


@router.get("/{hash}", operation_id="get-attachment", response_model=Envelope[AttachmentGet])
def get_attachment(
    actor: CanReadAttachments, session: SessionDep, hash: Hash, base_url: BaseUrl
) -> object:
    """Get an attachment by its hash."""
    found = service.get_visible(session, actor, hash)
    return Envelope(result=service.describe(session, [found], base_url)[0])


@router.delete("/{hash}", operation_id="delete-attachment", response_model=Envelope[AttachmentHash])
def delete_attachment(
    actor: CanDeleteAttachments, session: SessionDep, request: Request, hash: Hash
) -> object:
    """Delete an attachment; its bytes are removed once no other attachment shares them."""
    service.delete_attachment(session, actor, store_for(request.app.state), hash)
    return Envelope(result=AttachmentHash(hash=hash))
