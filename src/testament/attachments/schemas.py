"""Attachment schemas, named and spelled as the contract's `Attachment.get`, `Attachment.upload`,
`Attachment` / `Attachment.hash` (the form embedded in cases, steps, results and defects)."""

from __future__ import annotations

from testament.kit.schemas import ApiModel


class AttachmentGet(ApiModel):
    hash: str
    file: str
    mime: str
    size: int
    extension: str
    full_path: str
    url: str


class AttachmentUpload(ApiModel):
    hash: str
    filename: str
    mime: str
    extension: str
    url: str
    team: str


class EntityAttachment(ApiModel):
    """An attachment as cases, steps, results and defects list it (`Attachment.hash`)."""

    size: int
    mime: str
    filename: str
    url: str
    hash: str


class AttachmentHash(ApiModel):
    hash: str
