"""The shape of one row of the endpoint table (`client/operations.py`).

`testament api <resource> <action>` is built from these rows, and the rows are generated from
the server's own OpenAPI document (`client/generate_operations.py`), so every endpoint has a
command and no command is written out by hand. Plain frozen dataclasses: importing the table
costs a few milliseconds and pulls in nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of values a flag takes: how the command line text becomes JSON.
KINDS = ("string", "integer", "number", "boolean", "array", "object", "any")


@dataclass(frozen=True)
class Param:
    """A path parameter, query parameter or top-level body field, and the flag that sets it."""

    name: str  # on the wire: "member_id", "filters[search]", "code"
    flag: str  # "--member-id"
    kind: str = "string"  # one of KINDS; "any" takes JSON, else the text as is
    items: str = ""  # for arrays: the kind of the items
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    aliases: tuple[str, ...] = ()  # more flags for the same value, e.g. "--code"
    default_from: str = ""  # a client setting that fills it when the flag is absent: "project"


@dataclass(frozen=True)
class Operation:
    """One API operation as a command: `testament api {resource} {action}`."""

    resource: str  # "cases"
    action: str  # "create"
    operation_id: str  # "create-case", as in the OpenAPI document
    method: str  # "POST"
    path: str  # "/v1/case/{code}"
    summary: str  # "Create Case"
    description: str  # one line: what it does
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    body: str = ""  # "" (none), "json" or "multipart" (files)
    body_required: bool = False
    body_fields: tuple[Param, ...] = ()
    paging: str = ""  # "" (not paged), "offset" (limit/offset) or "cursor" (next_cursor)
    example: str = ""  # a command line that calls it

    @property
    def params(self) -> tuple[Param, ...]:
        return self.path_params + self.query_params + self.body_fields
