"""Pydantic's validation errors as the fields a client sent: `steps[0].action`, not
`("body", "steps", 0, "action")`. Used by the error handlers and by services that validate
stored proposals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from testament.kit.errors import FieldError

# Pydantic adds the member type to the location of a union's errors in bodies:
# ("body", "type", "int"), ("body", "steps", "list[StepInput]").
UNION_MEMBER_TAG = re.compile(
    r"^(int|str|float|bool|bytes|none|"
    r"(list|dict|tuple|set|literal|nullable|union|function-[a-z]+|constrained-[a-z]+)\[.*\])$"
)


def field_path(loc: Sequence[Any]) -> str:
    """`("body", "steps", 0, "action")` -> `steps[0].action`."""
    path = ""
    in_body = bool(loc) and loc[0] == "body"
    parts = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
    for part in parts:
        if in_body and isinstance(part, str) and UNION_MEMBER_TAG.match(part):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or (str(loc[0]) if loc else "body")


def validation_fields(errors: Sequence[Any]) -> list[FieldError]:
    fields = []
    for error in errors:
        loc = error.get("loc", ())
        message = str(error.get("msg", "is invalid"))
        if error.get("type") == "missing":
            message = "This field is required."
        elif tuple(loc) == ("body",) and error.get("type") in (
            "model_attributes_type",
            "dict_type",
        ):
            message = "The body must be a JSON object."
        fields.append(FieldError(field_path(loc), message))
    # A value that fails every member of a union reports once per member: keep the first.
    return list({f.field: f for f in reversed(fields)}.values())[::-1]
