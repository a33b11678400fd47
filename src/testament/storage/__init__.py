"""Where attachment bytes live. `store_for(app)` builds the configured store once per app."""

from __future__ import annotations

import threading
from typing import Any

from testament.settings import Settings
from testament.storage.base import AttachmentStore, BlobNotFound, BlobWriter, RetiredBlob
from testament.storage.local import LocalAttachmentStore

__all__ = [
    "AttachmentStore",
    "BlobNotFound",
    "BlobWriter",
    "RetiredBlob",
    "build_store",
    "store_for",
]

_lock = threading.Lock()


def build_store(settings: Settings) -> AttachmentStore:
    """The store the settings describe (today: the local disk under the data folder)."""
    return LocalAttachmentStore((settings.data_dir / "attachments").resolve())


def store_for(state: Any) -> AttachmentStore:
    """The app's store (`request.app.state`), built on first use."""
    store: AttachmentStore | None = getattr(state, "attachment_store", None)
    if store is None:
        with _lock:
            store = getattr(state, "attachment_store", None)
            if store is None:
                store = build_store(state.settings)
                state.attachment_store = store
    return store
