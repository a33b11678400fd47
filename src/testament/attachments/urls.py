"""Download URLs: `/attachments/{hash}/{filename}?expires=...&signature=...`.

The API hands signed URLs to callers who may read an attachment; the download route checks the
HMAC and the expiry, so a URL works without a token but only for a while and only as issued.
URLs stay the same within a UTC day (responses are stable and cacheable) and then live at least
`URL_LIFETIME` more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy.orm import Session

from testament.attachments.instance import URL_KEY, instance_values

DAY_SECONDS = 24 * 3600
URL_LIFETIME_DAYS = 7
DOWNLOAD_PREFIX = "/attachments"


@dataclass(frozen=True)
class UrlSigner:
    key: bytes

    def signature(self, attachment_hash: str, expires: int) -> str:
        message = f"{attachment_hash}\n{expires}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def is_valid(self, attachment_hash: str, expires: int, signature: str) -> bool:
        expected = self.signature(attachment_hash, expires)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def signer_from(values: dict[str, str]) -> UrlSigner:
    return UrlSigner(bytes.fromhex(values[URL_KEY]))


def url_signer(session: Session) -> UrlSigner:
    return signer_from(instance_values(session, URL_KEY))


def expires_for(now: float) -> int:
    return (int(now) // DAY_SECONDS + 1 + URL_LIFETIME_DAYS) * DAY_SECONDS


@dataclass(frozen=True)
class DownloadUrls:
    """Builds the signed download URLs of one response."""

    base_url: str
    signer: UrlSigner
    expires: int

    @classmethod
    def at(cls, base_url: str, signer: UrlSigner, now: float | None = None) -> DownloadUrls:
        return cls(base_url.rstrip("/"), signer, expires_for(time.time() if now is None else now))

    def url(self, attachment_hash: str, filename: str) -> str:
        signature = self.signer.signature(attachment_hash, self.expires)
        return (
            f"{self.base_url}{DOWNLOAD_PREFIX}/{attachment_hash}/{quote(filename, safe='')}"
            f"?expires={self.expires}&signature={signature}"
        )
