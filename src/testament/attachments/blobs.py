"""Blob changes that follow the database transaction, so rows and stored bytes never disagree.

Blobs are shared by content: a blob may be removed only when no attachment row references it.
Writers of one content serialize on a per-content lock held until their transaction ends (on
SQLite the database write lock already serializes every writer; on PostgreSQL an advisory lock
per SHA-256). Under it:

- an upload places its blobs before inserting its rows; if the transaction rolls back, blobs it
  created and nothing references are removed;
- a delete that drops the last reference retires the blob (moves it aside): the commit purges
  it, a rollback puts it back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from testament.kit.errors import InsufficientStorage
from testament.models.attachments import Attachment
from testament.storage import AttachmentStore, RetiredBlob

log = logging.getLogger("testament.attachments")

_INFO_KEY = "testament.attachment_blobs"
# The first key of PostgreSQL's two-key advisory locks: a namespace for attachment contents.
_LOCK_CLASS = 0x7A77


def lock_contents(session: Session, sha256s: Iterable[str]) -> None:
    """Hold the per-content locks of these blobs until the transaction ends (sorted: no deadlock)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({int.from_bytes(bytes.fromhex(s[:8]), "big", signed=True) for s in sha256s})
    for key in keys:
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_CLASS, key)))


# The second key of the lock that serializes quota checks on PostgreSQL.
_QUOTA_LOCK_KEY = -1


def check_quota(session: Session, contents: Mapping[str, int], quota_bytes: int | None) -> None:
    """507 when storing these contents (SHA-256 -> size) would take the store past its quota.

    Contents already stored cost nothing (blobs are shared); checks serialize on a lock (SQLite's
    write lock, or an advisory lock on PostgreSQL) so two uploads cannot both take the last room.
    """
    if quota_bytes is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_CLASS, _QUOTA_LOCK_KEY)))
    stored = (
        select(Attachment.content_sha256, func.max(Attachment.size).label("size"))
        .group_by(Attachment.content_sha256)
        .subquery()
    )
    used = session.scalar(select(func.coalesce(func.sum(stored.c.size), 0))) or 0
    present = set(
        session.scalars(
            select(Attachment.content_sha256)
            .where(Attachment.content_sha256.in_(list(contents)))
            .distinct()
        )
    )
    adding = sum(size for sha256, size in contents.items() if sha256 not in present)
    if adding and used + adding > quota_bytes:
        raise InsufficientStorage(
            f"Insufficient storage: these files need {adding} bytes and the attachment store has "
            f"{max(0, quota_bytes - used)} of its {quota_bytes}-byte quota left. "
            "Delete attachments or ask an administrator to raise the quota."
        )


@dataclass
class _Pending:
    store: AttachmentStore
    created: list[str] = field(default_factory=list)
    retired: list[RetiredBlob] = field(default_factory=list)
    committed: bool = False


def _pending(session: Session, store: AttachmentStore) -> _Pending:
    pending: _Pending | None = session.info.get(_INFO_KEY)
    if pending is None:
        pending = _Pending(store)
        session.info[_INFO_KEY] = pending
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_transaction_end", _after_transaction_end)
    return pending


def created_in_transaction(session: Session, store: AttachmentStore, sha256: str) -> None:
    """This transaction stored the blob: remove it again if the transaction does not commit."""
    _pending(session, store).created.append(sha256)


def retire_if_unreferenced(session: Session, store: AttachmentStore, sha256: str) -> None:
    """After this transaction's deletes: retire the blob when no row references it any more."""
    still_used = session.scalar(
        select(Attachment.id).where(Attachment.content_sha256 == sha256).limit(1)
    )
    if still_used is None:
        retired = store.retire(sha256)
        if retired is not None:
            _pending(session, store).retired.append(retired)


def _after_commit(session: Session) -> None:
    pending: _Pending = session.info[_INFO_KEY]
    pending.committed = True
    for retired in pending.retired:
        try:
            retired.purge()
        except OSError:
            log.exception("could not remove a deleted attachment's blob")


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    pending: _Pending = session.info[_INFO_KEY]
    try:
        if not pending.committed:
            _undo(session, pending)
    except Exception:
        log.exception("could not undo attachment blob changes of a rolled back transaction")
    finally:
        pending.created.clear()
        pending.retired.clear()
        pending.committed = False


def _undo(session: Session, pending: _Pending) -> None:
    for retired in pending.retired:
        retired.restore()
    if pending.created:
        with Session(bind=session.get_bind()) as check:
            referenced = set(
                check.scalars(
                    select(Attachment.content_sha256).where(
                        Attachment.content_sha256.in_(pending.created)
                    )
                )
            )
        for sha256 in set(pending.created) - referenced:
            pending.store.delete(sha256)
