"""Options of select fields: ids handed out, replacements checked, stored values rewritten."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from testament.custom_fields import kinds
from testament.custom_fields.schemas import OptionIn
from testament.kit.errors import FieldError, Invalid
from testament.models.custom_fields import CustomField, CustomFieldValue


def option_ids(options: Sequence[Mapping[str, Any]] | None) -> list[int]:
    return [int(option["id"]) for option in options or []]


def build(
    given: Sequence[OptionIn], current: Sequence[Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    """The stored options for `given`: ids kept when sent, new ids after every id in use."""
    errors: list[FieldError] = []
    seen_ids: set[int] = set()
    seen_titles: set[str] = set()
    for index, option in enumerate(given):
        if option.id is not None:
            if option.id in seen_ids:
                errors.append(
                    FieldError(f"value[{index}].id", f"Option id {option.id} is repeated.")
                )
            seen_ids.add(option.id)
        title = option.title.strip().casefold()
        if title in seen_titles:
            errors.append(
                FieldError(f"value[{index}].title", f"Option {option.title!r} is repeated.")
            )
        seen_titles.add(title)
    if errors:
        raise Invalid(_message(errors), errors)
    next_id = max([0, *seen_ids, *option_ids(current)]) + 1
    built = []
    for option in given:
        if option.id is None:
            built.append({"id": next_id, "title": option.title})
            next_id += 1
        else:
            built.append({"id": option.id, "title": option.title})
    return built


def replacements(
    replace: Mapping[str, str], old_ids: Sequence[int], new_ids: Sequence[int]
) -> dict[int, int | None]:
    """`replace_values` as old option id -> new option id (None: clear the value)."""
    errors: list[FieldError] = []
    mapping: dict[int, int | None] = {}
    for key, target in replace.items():
        name = f"replace_values.{key}"
        if not _is_id(key.strip()) or int(key) not in old_ids:
            errors.append(FieldError(name, f"{key!r} is not an option id of this field."))
        elif target.strip() == "":
            mapping[int(key)] = None
        elif not _is_id(target.strip()) or int(target) not in new_ids:
            errors.append(FieldError(name, f"{target!r} is not an option id of the new options."))
        else:
            mapping[int(key)] = int(target)
    if errors:
        raise Invalid(_message(errors), errors)
    return mapping


def remap(field_type: int, value: str, mapping: Mapping[int, int | None]) -> str:
    """`value` (an option id, or a comma list of them) with `mapping` applied."""
    if value == "":
        return value
    ids: list[int] = []
    for part in value.split(","):
        old = int(part)
        new = mapping.get(old, old)
        if new is not None and new not in ids:
            ids.append(new)
    if field_type != kinds.MULTISELECT:
        ids = ids[:1]
    return ",".join(str(option_id) for option_id in ids)


def rewrite_values(session: Session, field: CustomField, mapping: Mapping[int, int | None]) -> int:
    """Apply `mapping` to every stored value of `field` in one update; answers the rows changed."""
    if not mapping:
        return 0
    rows = select(CustomFieldValue.id, CustomFieldValue.value).where(
        CustomFieldValue.custom_field_id == field.id, CustomFieldValue.value != ""
    )
    if field.type != kinds.MULTISELECT:
        rows = rows.where(CustomFieldValue.value.in_([str(old) for old in mapping]))
    changed = []
    for row_id, value in session.execute(rows).all():
        new_value = remap(field.type, value, mapping)
        if new_value != value:
            changed.append({"id": row_id, "value": new_value})
    if changed:
        session.execute(update(CustomFieldValue), changed)
    return len(changed)


def _is_id(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _message(errors: Sequence[FieldError]) -> str:
    names = ", ".join(dict.fromkeys(error.field for error in errors))
    return f"Data is invalid: {names}."
