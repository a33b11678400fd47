"""Case-insensitive substring search, one helper for every title (and name) filter.

A search character matches a stored character when their lowercase forms are equal, on SQLite as
PostgreSQL's `ILIKE` does in a Unicode locale: `ÄPFEL` finds `äpfel` and `Äpfel`. SQLite's
`lower()` and `LIKE` fold ASCII letters only, so there a fast `LIKE` narrows the rows (each
non-ASCII search character as `_`) and a case-sensitive `GLOB` with a class of every case of each
letter (`*[Ää][pP][fF][eE][lL]*`) checks them; an ASCII-only search needs the `LIKE` alone.
An ASCII letter in the search matches its two ASCII cases only (on PostgreSQL also the Kelvin
sign for `k` and `İ` for `i`, which lowercase to them).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Boolean, ColumnElement, false, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

LIKE_ESCAPE = "/"
LIKE_SPECIAL = ("/", "%", "_")
GLOB_SPECIAL = frozenset("*?[")

# Characters whose lowercase is a letter they are not the uppercase or titlecase of: found only
# by a scan of every code point (tests/test_title_search.py makes it and compares).
IRREGULAR_CASES = "\u0130\u212a\u212b\u03f4\u2126\u1e9e"  # İ, Kelvin, Ångström, ϴ, Ohm, ẞ


def contains_ignoring_case(column: Any, term: str) -> ColumnElement[bool]:
    """`column` contains `term`, ignoring case, with `%`, `_` and `*` taken literally."""
    length = getattr(column.type, "length", None)
    if length is not None and len(term) > length:
        # No value of the column is that long (and SQLite refuses patterns past 50,000 bytes).
        return false()
    return _ContainsIgnoringCase(
        column,
        literal(_like_pattern(term, ascii_only=False)),
        literal(_like_pattern(term, ascii_only=True)),
        literal(_glob_pattern(term)),
    )


class _ContainsIgnoringCase(FunctionElement[bool]):
    """Rendered per dialect below; every pattern is a bound parameter of the element, so a
    cached compilation is reused with each search's own values."""

    type = Boolean()
    inherit_cache = True
    name = "contains_ignoring_case"


@compiles(_ContainsIgnoringCase)
def _render_ilike(element: _ContainsIgnoringCase, compiler: SQLCompiler, **kw: Any) -> str:
    column, pattern, _, _ = element.clauses
    rendered = compiler.process(column, **kw)
    return f"({rendered} ILIKE {compiler.process(pattern, **kw)} ESCAPE '{LIKE_ESCAPE}')"


@compiles(_ContainsIgnoringCase, "sqlite")
def _render_like_and_glob(element: _ContainsIgnoringCase, compiler: SQLCompiler, **kw: Any) -> str:
    column, _, narrowing, exact = element.clauses
    rendered = compiler.process(column, **kw)
    # `LIKE` first: SQLite stops at it for most rows; `GLOB '*'` (an ASCII search) costs nothing.
    return (
        f"({rendered} LIKE {compiler.process(narrowing, **kw)} ESCAPE '{LIKE_ESCAPE}'"
        f" AND {rendered} GLOB {compiler.process(exact, **kw)})"
    )


def _like_pattern(term: str, *, ascii_only: bool) -> str:
    """`%term%` with LIKE's wildcards escaped; `ascii_only` puts `_` for non-ASCII characters."""
    parts = []
    for char in term:
        if ascii_only and not char.isascii():
            parts.append("_")
        elif char in LIKE_SPECIAL:
            parts.append(LIKE_ESCAPE + char)
        else:
            parts.append(char)
    return f"%{''.join(parts)}%"


def _glob_pattern(term: str) -> str:
    """`*[Ää][pP]...*` for a search with non-ASCII characters; `*` (anything) for an ASCII one,
    which the `LIKE` checks exactly."""
    if term.isascii():
        return "*"
    parts = []
    for char in term:
        cases = letter_cases(char)
        if len(cases) > 1:
            parts.append("[" + "".join(cases) + "]")
        elif char in GLOB_SPECIAL:
            parts.append(f"[{char}]")
        else:
            parts.append(char)
    return f"*{''.join(parts)}*"


@cache
def letter_cases(char: str) -> tuple[str, ...]:
    """Every character whose lowercase is `char`'s (just `char` for one without case); for an
    ASCII letter its two ASCII cases."""
    lower = char.lower()[0]  # `İ` lowercases to `i` and a combining dot: its letter is `i`
    if char.isascii():
        return tuple(sorted({char, char.swapcase()}))
    candidates = {char, lower, *IRREGULAR_CASES}
    candidates.update(form for form in (lower.upper(), lower.title()) if len(form) == 1)
    return tuple(sorted(c for c in candidates if c.lower()[0] == lower))
