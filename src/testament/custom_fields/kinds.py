"""Custom field entity and type ids (stored and sent on create) and the slugs the API answers."""

from __future__ import annotations

from typing import Literal

EntitySlug = Literal["case", "run", "defect"]
TypeSlug = Literal[
    "number",
    "string",
    "text",
    "selectbox",
    "checkbox",
    "radio",
    "multiselect",
    "url",
    "user",
    "datetime",
]

ENTITY_SLUGS: dict[int, EntitySlug] = {0: "case", 1: "run", 2: "defect"}
ENTITY_IDS: dict[str, int] = {slug: entity for entity, slug in ENTITY_SLUGS.items()}

NUMBER, STRING, TEXT, SELECTBOX, CHECKBOX, RADIO, MULTISELECT, URL, USER, DATETIME = range(10)
TYPE_SLUGS: dict[int, TypeSlug] = {
    NUMBER: "number",
    STRING: "string",
    TEXT: "text",
    SELECTBOX: "selectbox",
    CHECKBOX: "checkbox",
    RADIO: "radio",
    MULTISELECT: "multiselect",
    URL: "url",
    USER: "user",
    DATETIME: "datetime",
}
TYPE_IDS: dict[str, int] = {slug: type_id for type_id, slug in TYPE_SLUGS.items()}

# Types whose values are option ids, and whose definition carries the options (`value`).
OPTION_TYPES = frozenset({SELECTBOX, RADIO, MULTISELECT})
