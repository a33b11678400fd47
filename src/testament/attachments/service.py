"""Attachment rules: storing uploads, listing, deleting, and linking files to other entities.

Other resources call `link`, `unlink_all` and `for_entities`; their entities keep attachments
through `attachment_links` rows (entity_type, entity_id = the entity's global id).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.context import ProjectContext
from testament.access.visibility import visible_projects
from testament.attachments import blobs
from testament.attachments.instance import TEAM, URL_KEY, instance_values
from testament.attachments.names import extension_of
from testament.attachments.schemas import AttachmentGet, AttachmentUpload, EntityAttachment
from testament.attachments.staging import StagedFile, out_of_space_is_507
from testament.attachments.urls import DownloadUrls, signer_from, url_signer
from testament.kit import audit
from testament.kit.concurrency import insert_or_ignore
from testament.kit.errors import Invalid, NotFound
from testament.models.attachments import Attachment, AttachmentLink
from testament.models.project import Project
from testament.storage import AttachmentStore

ENTITY_TYPES = frozenset(
    {"case", "step", "shared_step_item", "result", "result_step", "defect", "run", "plan"}
)
HASH_BYTES = 20  # the public hash: 40 hex digits, random


# --- Reading ----------------------------------------------------------------------------------


def visible_statement(actor: Actor) -> Select[Attachment]:
    """Every attachment in a project the actor may see, oldest first."""
    return (
        select(Attachment)
        .join(Project, Project.id == Attachment.project_id)
        .where(visible_projects(actor))
        .order_by(Attachment.id)
    )


def get_visible(session: Session, actor: Actor, attachment_hash: str) -> Attachment:
    """The attachment, if it lives in a project the actor may see (404 otherwise)."""
    found = session.scalar(visible_statement(actor).where(Attachment.hash == attachment_hash))
    if found is None:
        raise NotFound(f"Attachment not found: no attachment with hash {attachment_hash}.")
    return found


def describe(session: Session, rows: Sequence[Attachment], base_url: str) -> list[AttachmentGet]:
    """Attachments as `/attachment` shows them, with signed download URLs."""
    if not rows:
        return []
    urls = DownloadUrls.at(base_url, url_signer(session))
    described = []
    for row in rows:
        url = urls.url(row.hash, row.filename)
        described.append(
            AttachmentGet(
                hash=row.hash,
                file=row.filename,
                mime=row.mime,
                size=row.size,
                extension=extension_of(row.filename),
                full_path=url,
                url=url,
            )
        )
    return described


# --- Writing ----------------------------------------------------------------------------------


def store_uploads(
    session: Session,
    ctx: ProjectContext,
    store: AttachmentStore,
    files: Sequence[StagedFile],
    base_url: str,
    quota_bytes: int | None = None,
) -> list[AttachmentUpload]:
    """Place the received files and record one attachment per file (all or nothing)."""
    project_id = ctx.project.id
    # The upload ran outside a transaction: the project may have been deleted meanwhile.
    if session.scalar(select(Project.id).where(Project.id == project_id)) is None:
        raise NotFound(f"Project not found: no project with code {ctx.project.code}.")
    values = instance_values(session, URL_KEY, TEAM)
    blobs.lock_contents(session, [f.sha256 for f in files])
    blobs.check_quota(session, {f.sha256: f.size for f in files}, quota_bytes)
    for staged in files:
        with out_of_space_is_507():
            created = staged.writer.place()
        if created:
            blobs.created_in_transaction(session, store, staged.sha256)
    rows = [
        Attachment(
            project_id=project_id,
            hash=secrets.token_hex(HASH_BYTES),
            content_sha256=staged.sha256,
            filename=staged.filename,
            mime=staged.mime,
            size=staged.size,
            author_id=ctx.actor.author_id,
        )
        for staged in files
    ]
    session.add_all(rows)
    session.flush()
    urls = DownloadUrls.at(base_url, signer_from(values))
    uploaded = []
    for row in rows:
        audit.created(
            session,
            ctx.actor,
            "attachment",
            row.hash,
            project_id=project_id,
            changes={"filename": row.filename, "mime": row.mime, "size": row.size},
        )
        uploaded.append(
            AttachmentUpload(
                hash=row.hash,
                filename=row.filename,
                mime=row.mime,
                extension=extension_of(row.filename),
                url=urls.url(row.hash, row.filename),
                team=values[TEAM],
            )
        )
    return uploaded


def delete_attachment(
    session: Session, actor: Actor, store: AttachmentStore, attachment_hash: str
) -> None:
    """Delete the attachment (and its links); its blob goes when nothing else references it."""
    row = get_visible(session, actor, attachment_hash)
    blobs.lock_contents(session, [row.content_sha256])
    # Its links go with it (ON DELETE CASCADE).
    deleted = session.execute(delete(Attachment).where(Attachment.id == row.id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(f"Attachment not found: no attachment with hash {attachment_hash}.")
    audit.deleted(
        session,
        actor,
        "attachment",
        row.hash,
        project_id=row.project_id,
        changes={"filename": row.filename},
    )
    blobs.retire_if_unreferenced(session, store, row.content_sha256)


def delete_project_files(session: Session, store: AttachmentStore, project_id: int) -> None:
    """Before a project is deleted: drop its attachments and the blobs only they referenced."""
    contents = sorted(
        set(
            session.scalars(
                select(Attachment.content_sha256).where(Attachment.project_id == project_id)
            )
        )
    )
    if not contents:
        return
    blobs.lock_contents(session, contents)
    session.execute(delete(Attachment).where(Attachment.project_id == project_id))
    for sha256 in contents:
        blobs.retire_if_unreferenced(session, store, sha256)


# --- Links from other entities ----------------------------------------------------------------


def _check_entity_type(entity_type: str) -> None:
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown attachment entity type {entity_type!r}")


def link(
    session: Session,
    project_id: int,
    hashes: Sequence[str],
    entity_type: str,
    entity_id: int,
    field: str = "attachments",
) -> None:
    """Attach the project's attachments `hashes` to an entity, in order; existing links stay.

    An unknown hash, or one of another project, is a 422 naming `field`.
    """
    _check_entity_type(entity_type)
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return
    known = ids_for_hashes(session, project_id, wanted)
    require_known(known, wanted, field)
    link_known(session, project_id, entity_type, [(entity_id, wanted)], known)


def ids_for_hashes(session: Session, project_id: int, hashes: Collection[str]) -> dict[str, int]:
    """Ids by hash of those of `hashes` that name an attachment of the project (one query)."""
    if not hashes:
        return {}
    statement = select(Attachment.hash, Attachment.id).where(
        Attachment.project_id == project_id, Attachment.hash.in_(set(hashes))
    )
    return {
        attachment_hash: attachment_id
        for attachment_hash, attachment_id in session.execute(statement)
    }


def require_known(known: Mapping[str, int], hashes: Sequence[str], field: str) -> None:
    """A 422 naming `field` unless every one of `hashes` is in `known` (see ids_for_hashes)."""
    missing = [h for h in dict.fromkeys(hashes) if h not in known]
    if missing:
        raise Invalid.field(field, f"Attachment not found in this project: {', '.join(missing)}.")


def link_known(
    session: Session,
    project_id: int,
    entity_type: str,
    links: Sequence[tuple[int, Sequence[str]]],
    known: Mapping[str, int],
) -> None:
    """Attach, for each `(entity id, hashes)`, the attachments `known` gives ids for (checked
    with require_known), in order, in one statement; existing links stay."""
    _check_entity_type(entity_type)
    rows = [
        {
            "project_id": project_id,
            "attachment_id": known[h],
            "entity_type": entity_type,
            "entity_id": entity_id,
        }
        for entity_id, hashes in links
        for h in dict.fromkeys(hashes)
    ]
    if rows:
        session.execute(insert_or_ignore(session, AttachmentLink), rows)


def unlink_all(session: Session, entity_type: str, entity_ids: Collection[int]) -> None:
    """Remove every attachment link of these entities (the attachments themselves stay)."""
    _check_entity_type(entity_type)
    if not entity_ids:
        return
    session.execute(
        delete(AttachmentLink).where(
            AttachmentLink.entity_type == entity_type,
            AttachmentLink.entity_id.in_(list(entity_ids)),
        )
    )


def for_entities(
    session: Session, entity_type: str, entity_ids: Collection[int], base_url: str
) -> dict[int, list[EntityAttachment]]:
    """The attachments of each entity, in the order attached (entities without any are absent)."""
    _check_entity_type(entity_type)
    if not entity_ids:
        return {}
    rows = session.execute(
        select(AttachmentLink.entity_id, Attachment)
        .join(Attachment, Attachment.id == AttachmentLink.attachment_id)
        .where(
            AttachmentLink.entity_type == entity_type,
            AttachmentLink.entity_id.in_(list(set(entity_ids))),
        )
        .order_by(AttachmentLink.id)
    ).all()
    if not rows:
        return {}
    urls = DownloadUrls.at(base_url, url_signer(session))
    result: dict[int, list[EntityAttachment]] = defaultdict(list)
    for entity_id, row in rows:
        result[entity_id].append(
            EntityAttachment(
                size=row.size,
                mime=row.mime,
                filename=row.filename,
                url=urls.url(row.hash, row.filename),
                hash=row.hash,
            )
        )
    return dict(result)
