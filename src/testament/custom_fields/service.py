"""Custom field values of cases, runs and defects: what other resources call.

Values are keyed by the custom field's id and stored in `custom_field_values` against the
entity's global id. Definitions (`/custom_field`) live in `definitions.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.orm import Session

from testament.custom_fields import kinds, options
from testament.custom_fields import values as formats
from testament.kit.concurrency import upsert
from testament.kit.errors import FieldError, Invalid
from testament.models.custom_fields import CustomField, CustomFieldProject, CustomFieldValue

# Entities whose values may be stored; results carry values without definitions of their own.
STORED_ENTITIES = frozenset({"case", "run", "defect", "result"})


def parse_keys(raw: Mapping[str, str] | None) -> dict[int, str]:
    """A request's `custom_field` map (`{"<field id>": "<value>"}`) with integer keys."""
    values: dict[int, str] = {}
    for key, value in (raw or {}).items():
        if not key.isdigit():
            raise Invalid.field(f"custom_field[{key}]", "keys are custom field ids")
        values[int(key)] = value
    return values


def check_values(
    session: Session,
    project_id: int,
    entity: str,
    values: Mapping[int, str],
    *,
    creating: bool,
) -> dict[int, str]:
    """Validate `values` for an `entity` ("case", "run" or "defect") of the project.

    Every id must be a field of that entity enabled in the project, and every value must suit
    the field's type (`custom_field[<id>]` names the culprit in the 422). On create, fields left
    out get their default, and a required field without one is refused. Answers the values to
    store (normalized, defaults filled), by field id.
    """
    entity_type = kinds.ENTITY_IDS.get(entity)
    if entity_type is None:
        raise ValueError(f"custom fields are for case, run or defect, not {entity!r}")
    if not values and not creating:
        return {}
    fields = _candidate_fields(session, project_id, entity_type, values.keys(), creating=creating)
    errors: list[FieldError] = []
    checked: dict[int, str] = {}
    users: dict[int, list[int]] = {}
    for field_id, raw in values.items():
        name = f"custom_field[{field_id}]"
        field, enabled = fields.get(field_id, (None, False))
        if field is None:
            errors.append(FieldError(name, f"Custom field {field_id} does not exist."))
        elif field.entity != entity_type:
            kind = kinds.ENTITY_SLUGS[field.entity]
            errors.append(
                FieldError(name, f"{field.title!r} is a {kind} field, not a {entity} one.")
            )
        elif not enabled:
            errors.append(FieldError(name, f"{field.title!r} is not enabled in this project."))
        else:
            try:
                value = _normalize(field, raw)
            except ValueError as exc:
                errors.append(FieldError(name, str(exc)))
                continue
            if value == "" and field.is_required and field.default_value is None:
                errors.append(FieldError(name, f"{field.title!r} is required."))
                continue
            checked[field_id] = value
            users[field_id] = formats.user_ids(field.type, value)
    if creating:
        for field_id, (field, enabled) in fields.items():
            if field_id in values or not enabled or field.entity != entity_type:
                continue
            if field.default_value is not None:
                checked[field_id] = field.default_value
            elif field.is_required:
                name = f"custom_field[{field_id}]"
                errors.append(FieldError(name, f"{field.title!r} is required."))
    unknown = formats.unknown_users(session, (uid for ids in users.values() for uid in ids))
    for field_id, ids in users.items():
        if any(uid in unknown for uid in ids):
            name = f"custom_field[{field_id}]"
            errors.append(FieldError(name, f"User {checked[field_id]} not found."))
    if errors:
        names = ", ".join(dict.fromkeys(error.field for error in errors))
        raise Invalid(f"Data is invalid: {names}.", errors)
    return dict(sorted(checked.items()))


def _normalize(field: CustomField, raw: str) -> str:
    """The value to store; ValueError saying what is wrong with it."""
    return formats.normalize(field.type, options.option_ids(field.options), raw)


def _candidate_fields(
    session: Session,
    project_id: int,
    entity_type: int,
    ids: Collection[int],
    *,
    creating: bool,
) -> dict[int, tuple[CustomField, bool]]:
    """The fields named in `ids` (and on create every field of the entity enabled in the
    project), each with whether it is enabled in the project: one query."""
    linked = CustomFieldProject.project_id.is_not(None)
    wanted: ColumnElement[bool] = CustomField.id.in_(list(ids))
    if creating:
        enabled_here = or_(CustomField.is_enabled_for_all_projects, linked)
        wanted = or_(wanted, and_(CustomField.entity == entity_type, enabled_here))
    statement = (
        select(CustomField, linked)
        .outerjoin(
            CustomFieldProject,
            and_(
                CustomFieldProject.custom_field_id == CustomField.id,
                CustomFieldProject.project_id == project_id,
            ),
        )
        .where(wanted)
        .order_by(CustomField.id)
    )
    return {
        field.id: (field, bool(is_linked) or field.is_enabled_for_all_projects)
        for field, is_linked in session.execute(statement).all()
    }


def write_values(
    session: Session, project_id: int, entity: str, entity_id: int, values: Mapping[int, str]
) -> None:
    """Upsert `values` (checked by `check_values`) for the entity with global id `entity_id`.

    Fields not in `values` keep what they hold. One statement, whatever the number of values.
    """
    if entity not in STORED_ENTITIES:
        raise ValueError(f"no custom field values for {entity!r}")
    if not values:
        return
    rows: list[dict[str, Any]] = [
        {
            "project_id": project_id,
            "custom_field_id": field_id,
            "entity_type": entity,
            "entity_id": entity_id,
            "value": value,
        }
        for field_id, value in values.items()
    ]
    statement = upsert(
        session,
        CustomFieldValue,
        conflict_columns=["custom_field_id", "entity_type", "entity_id"],
        update=["value"],
    )
    session.execute(statement.values(rows))


def read_values(
    session: Session, entity: str, entity_ids: Collection[int]
) -> dict[int, list[dict[str, int | str]]]:
    """Per entity id (every one asked for), its values as the contract's CustomFieldValue
    (`{"id": field id, "value": str}`), by field id. One query."""
    found: dict[int, list[dict[str, int | str]]] = {entity_id: [] for entity_id in entity_ids}
    if not found:
        return found
    rows = session.execute(
        select(CustomFieldValue.entity_id, CustomFieldValue.custom_field_id, CustomFieldValue.value)
        .where(CustomFieldValue.entity_type == entity, CustomFieldValue.entity_id.in_(list(found)))
        .order_by(CustomFieldValue.entity_id, CustomFieldValue.custom_field_id)
    )
    for entity_id, field_id, value in rows:
        found[entity_id].append({"id": field_id, "value": value})
    return found


def delete_values(session: Session, entity: str, entity_ids: Collection[int]) -> None:
    """Remove the values of deleted entities (the link table has no foreign key to them)."""
    if entity_ids:
        session.execute(
            delete(CustomFieldValue).where(
                CustomFieldValue.entity_type == entity,
                CustomFieldValue.entity_id.in_(list(entity_ids)),
            )
        )
