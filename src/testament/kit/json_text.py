"""What valid JSON can carry that no column can store as sent, found in a body's raw bytes.

- NUL (`\\u0000`): PostgreSQL refuses it in text.
- A lone UTF-16 surrogate (`"\\ud83d"` without its low half): not Unicode, so neither SQLite nor
  PostgreSQL can encode it (Python's `json` reads it into a `str` all the same).
- `NaN`, `Infinity`, `-Infinity` and numbers past a float's range: not JSON by RFC 8259, yet
  Python's `json` reads them, and they were stored as null.

Each can only arrive as a few recognisable bytes, so a body is searched with cheap patterns
(`may_hold_unstorable`); only a body that matches is parsed and walked, to name the field.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Loose on purpose: a false match only costs a parse. `\\u0000` or a surrogate escape (D800-DFFF).
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
# Numbers that may overflow to infinity: an exponent of three digits or more (each literal `e`
# or `E` found quickly, then the bytes before it checked to be a number, not a hex id), or more
# digits in a row than any finite float has (found as zeros once every digit is a zero).
_EXPONENTS = (re.compile(rb"e\+?[0-9]{3}"), re.compile(rb"E\+?[0-9]{3}"))
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_TOO_MANY_DIGITS = b"0" * 309
_MANTISSA = frozenset(b"0123456789.")
_BEFORE_A_NUMBER = frozenset(b":[, \t\r\n")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# JSON escapes in order: an escaped backslash (so `\\\\ud83d` is text, not an escape), a proper
# surrogate pair, or a lone surrogate: only the last (6 bytes) is replaced.
_ESCAPES = re.compile(
    rb"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
)
_LONE_SURROGATE_ESCAPE_LENGTH = 6
REPLACEMENT_ESCAPE = rb"\ufffd"
# Python's `json` joins proper pairs into one code point, so any surrogate left is a lone one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

NUL_ERROR = "NUL characters (\\u0000) are not allowed"
SURROGATE_ERROR = (
    "a lone UTF-16 surrogate (such as \\ud83d without its pair) is not text; "
    "send the whole character"
)
NON_FINITE_ERROR = "NaN and Infinity are not numbers JSON can carry; send a number or null"


def may_hold_unstorable(body: bytes, *, numbers_are_typed: bool = False) -> bool:
    """False for nearly every body: then none of the three is in it.

    `numbers_are_typed`: every number of the body goes to an `int` or bounded `float` field,
    which refuses an infinity by itself, so the costlier search for numbers that overflow to
    one is skipped (the literals `NaN` and `Infinity` are still looked for).
    """
    if _SUSPECT_ESCAPE.search(body) or b"NaN" in body or b"Infinity" in body:
        return True
    return not numbers_are_typed and _may_overflow(body)


def _may_overflow(body: bytes) -> bool:
    if _TOO_MANY_DIGITS in body.translate(_DIGITS_AS_ZEROS):
        return True
    for exponents in _EXPONENTS:
        for match in exponents.finditer(body):
            start = at = match.start()
            while at > 0 and body[at - 1] in _MANTISSA:
                at -= 1
            if at == start:
                continue
            if at > 0 and body[at - 1] == ord("-"):
                at -= 1
            if at == 0 or body[at - 1] in _BEFORE_A_NUMBER:
                return True
    return False


def replace_lone_surrogates(body: bytes) -> bytes:
    """Each lone surrogate escape in JSON text becomes `\\ufffd` (U+FFFD); pairs are kept."""
    if _SURROGATE_ESCAPE.search(body) is None:
        return body
    return _ESCAPES.sub(_replace_if_lone, body)


def _replace_if_lone(match: re.Match[bytes]) -> bytes:
    escape = match[0]
    return REPLACEMENT_ESCAPE if len(escape) == _LONE_SURROGATE_ESCAPE_LENGTH else escape


def first_unstorable(body: bytes) -> tuple[str, str] | None:
    """Where the first unstorable value sits and why (`("steps[0].action", SURROGATE_ERROR)`);
    None when there is none, or when the body is not JSON (its parser answers that)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return _first_unstorable_value(value)


def _text_error(text: str) -> str | None:
    if "\x00" in text:
        return NUL_ERROR
    if _LONE_SURROGATE.search(text):
        return SURROGATE_ERROR
    return None


def _first_unstorable_value(value: Any) -> tuple[str, str] | None:
    # Iterative, depth first in document order: a deeply nested body cannot exhaust the stack.
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            error = _text_error(item)
            if error:
                return path or "body", error
        elif isinstance(item, float):
            if not math.isfinite(item):
                return path or "body", NON_FINITE_ERROR
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                # A key's lone surrogate is shown escaped: the error response must be UTF-8 too.
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")
                key_path = f"{path}.{shown}" if path else shown
                error = _text_error(key)
                if error:
                    return key_path, error
                children.append((key_path, child))
            pending.extend(reversed(children))
        elif isinstance(item, list):
            pending.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None
