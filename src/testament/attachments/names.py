"""What a client says about a file, made safe: display names, MIME types, extensions.

A file name is only ever shown (in responses, URLs and `Content-Disposition`), never used as a
path: it is still reduced to its last path component so `../../etc/passwd` displays as `passwd`.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata

from testament.models.base import TITLE_LENGTH

DEFAULT_FILENAME = "file"
OCTET_STREAM = "application/octet-stream"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,16}$")


def display_filename(raw: str | None) -> str:
    """The name to show: no directories, no control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _CONTROL.sub("", name).strip()
    if not name.strip("."):  # "", ".", "..": nothing to show, and dots alone read as a path
        return DEFAULT_FILENAME
    if len(name) > TITLE_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 16:
            name = f"{stem[: TITLE_LENGTH - len(suffix) - 1]}.{suffix}"
        else:
            name = name[:TITLE_LENGTH]
    return name


def extension_of(filename: str) -> str:
    """`report.PDF` -> `pdf`; empty when the name has no plausible extension."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or not stem or not _EXTENSION.fullmatch(suffix):
        return ""
    return suffix.lower()


def mime_type(declared: str | None, filename: str) -> str:
    """The part's declared type when it says something; else a guess from the extension."""
    essence = (declared or "").split(";", 1)[0].strip().lower()
    if _MIME.fullmatch(essence) and essence != OCTET_STREAM:
        return essence
    guessed, _encoding = mimetypes.guess_type(filename, strict=False)
    return guessed or OCTET_STREAM
