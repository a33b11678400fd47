"""An incremental `multipart/form-data` parser: bytes in, part events out, nothing buffered whole.

`feed()` takes the body chunk by chunk as it arrives and answers `PartStart`, `PartData` and
`PartEnd` events; at most one delimiter's length of a part is held back between chunks.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import Enum, auto
from urllib.parse import unquote

MAX_HEADER_BYTES = 16 * 1024
MAX_BOUNDARY_LENGTH = 70
# Codec names (`codecs.lookup(...).name`) a `filename*` may be in.
FILENAME_CHARSETS = frozenset({"utf-8", "iso8859-1", "ascii"})
_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


class MultipartError(ValueError):
    """The body is not well-formed multipart."""


@dataclass(frozen=True)
class PartStart:
    name: str | None
    filename: str | None  # None: a plain form field, not a file
    content_type: str | None


@dataclass(frozen=True)
class PartData:
    data: bytes


@dataclass(frozen=True)
class PartEnd:
    pass


Event = PartStart | PartData | PartEnd


def header_params(value: str) -> tuple[str, dict[str, str]]:
    """`form-data; name="a"; filename*=UTF-8''b%20c` -> ("form-data", {"name": "a", ...}).

    `filename*` (RFC 5987) is decoded and wins over `filename`.
    """
    essence, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall(";" + rest):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = raw[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            # Browsers (WHATWG) send `"`, CR and LF in names percent-encoded, and only those.
            raw = raw.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
        params[key.lower()] = raw
    extended = params.pop("filename*", None)
    if extended is not None:
        charset, _, rest_value = extended.partition("'")
        _language, _, encoded = rest_value.partition("'")
        params["filename"] = unquote(encoded, encoding=_name_charset(charset), errors="replace")
    return essence.strip().lower(), params


def _name_charset(charset: str) -> str:
    """The two charsets RFC 8187 has recipients support (and ASCII, a subset of both); Python's
    other codecs fail in odd ways (`idna`, `punycode`) or make unstorable text (`unicode_escape`
    makes lone surrogates)."""
    try:
        name = codecs.lookup(charset or "utf-8").name
    except LookupError:
        name = ""
    if name not in FILENAME_CHARSETS:
        raise MultipartError(
            f"The file name's charset in `filename*` ({charset[:40]!r}) is not supported: "
            "send it in UTF-8 (or ISO-8859-1)."
        )
    return name


def boundary_of(content_type: str) -> bytes:
    """The boundary of a `multipart/form-data` content type (MultipartError when there is none)."""
    essence, params = header_params(content_type)
    if essence != "multipart/form-data":
        raise MultipartError("The request body must be sent as `multipart/form-data`.")
    boundary = params.get("boundary", "")
    if not 1 <= len(boundary) <= MAX_BOUNDARY_LENGTH or not boundary.isascii():
        raise MultipartError("The multipart boundary is missing or not valid.")
    return boundary.encode("ascii")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _part_start(block: bytes) -> PartStart:
    headers: dict[str, str] = {}
    for line in block.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon:
            headers[_decode(name).strip().lower()] = _decode(value).strip()
    disposition, params = header_params(headers.get("content-disposition", ""))
    if disposition != "form-data":
        raise MultipartError("Each part needs `Content-Disposition: form-data`.")
    return PartStart(
        name=params.get("name"),
        filename=params.get("filename"),
        content_type=headers.get("content-type"),
    )


class _State(Enum):
    PREAMBLE = auto()
    AFTER_BOUNDARY = auto()
    HEADERS = auto()
    BODY = auto()
    DONE = auto()


class MultipartParser:
    def __init__(self, boundary: bytes) -> None:
        self._delimiter = b"\r\n--" + boundary
        # The first boundary may open the body without a line break before it.
        self._buffer = bytearray(b"\r\n")
        self._state = _State.PREAMBLE

    @property
    def done(self) -> bool:
        return self._state is _State.DONE

    def feed(self, chunk: bytes) -> list[Event]:
        if self._state is _State.DONE:
            return []  # the epilogue, ignored
        self._buffer += chunk
        events: list[Event] = []
        while self._step(events):
            pass
        return events

    def close(self) -> None:
        if self._state is not _State.DONE:
            raise MultipartError("The multipart body ends before its closing boundary.")

    def _step(self, events: list[Event]) -> bool:
        """Advance as far as the buffer allows; False when more bytes are needed."""
        buffer, delimiter = self._buffer, self._delimiter
        if self._state is _State.PREAMBLE:
            at = buffer.find(delimiter)
            if at < 0:
                del buffer[: max(0, len(buffer) - len(delimiter) + 1)]
                return False
            del buffer[: at + len(delimiter)]
            self._state = _State.AFTER_BOUNDARY
            return True
        if self._state is _State.AFTER_BOUNDARY:
            if len(buffer) < 2:
                return False
            if buffer.startswith(b"--"):
                buffer.clear()
                self._state = _State.DONE
                return False
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > 256:
                    raise MultipartError("A multipart boundary line is malformed.")
                return False
            if buffer[:end].strip(b" \t"):
                raise MultipartError("A multipart boundary line is malformed.")
            del buffer[: end + 2]
            self._state = _State.HEADERS
            return True
        if self._state is _State.HEADERS:
            if buffer.startswith(b"\r\n"):
                raise MultipartError("Each part needs `Content-Disposition: form-data`.")
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEADER_BYTES:
                    raise MultipartError("The headers of a multipart part are too long.")
                return False
            if end > MAX_HEADER_BYTES:
                raise MultipartError("The headers of a multipart part are too long.")
            events.append(_part_start(bytes(buffer[:end])))
            del buffer[: end + 4]
            self._state = _State.BODY
            return True
        if self._state is _State.BODY:
            at = buffer.find(delimiter)
            if at >= 0:
                if at:
                    events.append(PartData(bytes(buffer[:at])))
                events.append(PartEnd())
                del buffer[: at + len(delimiter)]
                self._state = _State.AFTER_BOUNDARY
                return True
            # Hold back what could be the start of a delimiter split across chunks.
            safe = len(buffer) - len(delimiter) + 1
            if safe > 0:
                events.append(PartData(bytes(buffer[:safe])))
                del buffer[:safe]
            return False
        return False
