"""Custom field definitions (`/custom_field`): create, read, list, update, delete."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.visibility import visible_projects
from testament.custom_fields import kinds, options, values
from testament.custom_fields.filters import CustomFieldFilters
from testament.custom_fields.schemas import CustomField as CustomFieldSchema
from testament.custom_fields.schemas import CustomFieldCreate, CustomFieldUpdate, OptionIn
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.kit.schemas import legacy_datetime
from testament.models.base import utcnow
from testament.models.custom_fields import CustomField, CustomFieldProject
from testament.models.project import Project

FLAGS = ("is_filterable", "is_visible", "is_required", "is_enabled_for_all_projects")


def list_statements(filters: CustomFieldFilters) -> tuple[Select[Any], Select[Any] | None]:
    """The unfiltered list and, when a filter is given, the filtered one (both by id)."""
    scope = select(CustomField).order_by(CustomField.id)
    if not filters.any:
        return scope, None
    filtered = scope
    if filters.entity is not None:
        filtered = filtered.where(CustomField.entity == kinds.ENTITY_IDS[filters.entity])
    if filters.type is not None:
        filtered = filtered.where(CustomField.type == kinds.TYPE_IDS[filters.type])
    return scope, filtered


def get_field(session: Session, field_id: int) -> CustomField:
    field = session.get(CustomField, field_id)
    if field is None:
        raise NotFound(f"Custom field {field_id} not found.")
    return field


def describe(
    session: Session, actor: Actor, fields: Sequence[CustomField]
) -> list[CustomFieldSchema]:
    """Fields as the API shows them; `projects_codes` lists the projects the caller may see."""
    codes: dict[int, list[str]] = defaultdict(list)
    if fields:
        rows = session.execute(
            select(CustomFieldProject.custom_field_id, Project.code)
            .join(Project, Project.id == CustomFieldProject.project_id)
            .where(
                CustomFieldProject.custom_field_id.in_([f.id for f in fields]),
                visible_projects(actor),
            )
            .order_by(Project.code)
        )
        for field_id, code in rows:
            codes[field_id].append(code)
    return [_schema(field, codes[field.id]) for field in fields]


def _schema(field: CustomField, codes: list[str]) -> CustomFieldSchema:
    is_select = field.type in kinds.OPTION_TYPES
    return CustomFieldSchema(
        id=field.id,
        title=field.title,
        entity=kinds.ENTITY_SLUGS[field.entity],
        type=kinds.TYPE_SLUGS[field.type],
        placeholder=field.placeholder,
        default_value=field.default_value,
        value=json.dumps(field.options or [], ensure_ascii=False) if is_select else None,
        is_required=field.is_required,
        is_visible=field.is_visible,
        is_filterable=field.is_filterable,
        is_enabled_for_all_projects=field.is_enabled_for_all_projects,
        created=legacy_datetime(field.created_at),
        updated=legacy_datetime(field.updated_at),
        created_at=field.created_at,
        updated_at=field.updated_at,
        projects_codes=codes,
    )


def create_field(session: Session, actor: Actor, data: CustomFieldCreate) -> CustomField:
    built = _options_for(data.type, data.value, None)
    project_ids = _project_ids(session, actor, data.projects_codes)
    field = CustomField(
        title=data.title,
        entity=data.entity,
        type=data.type,
        options=built,
        placeholder=data.placeholder,
        default_value=_default_value(session, data.type, built, data.default_value),
        **{flag: getattr(data, flag) for flag in FLAGS},
    )
    session.add(field)
    session.flush()
    _link_projects(session, field.id, project_ids)
    audit.created(
        session,
        actor,
        "custom_field",
        field.id,
        changes={
            "title": data.title,
            "entity": kinds.ENTITY_SLUGS[data.entity],
            "type": kinds.TYPE_SLUGS[data.type],
            "projects_codes": data.projects_codes,
        },
    )
    return field


def update_field(session: Session, actor: Actor, field_id: int, data: CustomFieldUpdate) -> None:
    """Change the fields the body carries; values of removed or replaced options follow."""
    field = get_field(session, field_id)
    given = data.model_fields_set
    old_ids = options.option_ids(field.options)
    new_options = field.options
    if "value" in given and data.value is not None:
        new_options = _options_for(field.type, data.value, field.options)
    new_ids = options.option_ids(new_options)
    mapping: dict[int, int | None] = {old: None for old in old_ids if old not in new_ids}
    if data.replace_values:
        if field.type not in kinds.OPTION_TYPES:
            raise Invalid.field(
                "replace_values", "Only selectbox, radio and multiselect fields have options."
            )
        mapping.update(options.replacements(data.replace_values, old_ids, new_ids))
    project_ids = None
    if "projects_codes" in given:
        project_ids = _project_ids(session, actor, data.projects_codes)

    if "default_value" in given:
        default = _default_value(session, field.type, new_options, data.default_value)
    elif field.default_value and field.type in kinds.OPTION_TYPES:
        default = options.remap(field.type, field.default_value, mapping) or None
    else:
        default = field.default_value
    field.title = data.title
    field.options = new_options
    field.default_value = default
    if "placeholder" in given:
        field.placeholder = data.placeholder
    for flag in FLAGS:
        if flag in given:
            setattr(field, flag, getattr(data, flag))
    field.updated_at = utcnow()
    rewritten = options.rewrite_values(session, field, mapping)
    if project_ids is not None:
        _unlink_visible_projects(session, actor, field.id)
        _link_projects(session, field.id, project_ids)
    session.flush()
    changes = data.model_dump(mode="json", include=given)
    changes["value"] = new_options
    changes["values_rewritten"] = rewritten
    audit.updated(session, actor, "custom_field", field.id, changes=changes)


def delete_field(session: Session, actor: Actor, field_id: int) -> None:
    """Delete the field; its project links and stored values go with it (ON DELETE CASCADE)."""
    field = get_field(session, field_id)
    audit.deleted(session, actor, "custom_field", field.id, changes={"title": field.title})
    session.delete(field)
    session.flush()


def _options_for(
    field_type: int, given: list[OptionIn] | None, current: list[Any] | None
) -> list[dict[str, Any]] | None:
    if field_type not in kinds.OPTION_TYPES:
        if given:
            raise Invalid.field(
                "value", "Only selectbox, radio and multiselect fields have options."
            )
        return None
    if not given:
        raise Invalid.field(
            "value", f"A {kinds.TYPE_SLUGS[field_type]} field needs at least one option."
        )
    return options.build(given, current)


def _default_value(
    session: Session, field_type: int, built: list[Any] | None, raw: str | None
) -> str | None:
    """The stored default: `""` means none, except on a checkbox, where it is "unchecked"."""
    if raw is None or (raw == "" and field_type != kinds.CHECKBOX):
        return None
    try:
        value = values.normalize(field_type, options.option_ids(built), raw)
    except ValueError as exc:
        raise Invalid.field("default_value", str(exc)) from exc
    if values.unknown_users(session, values.user_ids(field_type, value)):
        raise Invalid.field("default_value", f"User {value} not found.")
    return value


def _project_ids(session: Session, actor: Actor, codes: Sequence[str]) -> list[int]:
    """Project ids for `codes` (case-insensitive); 422 naming the codes that match nothing."""
    wanted = {code.strip().upper() for code in codes}
    if not wanted:
        return []
    found: dict[str, int] = dict(
        session.execute(
            select(func.upper(Project.code), Project.id).where(
                func.upper(Project.code).in_(wanted), visible_projects(actor)
            )
        ).all()
    )
    unknown = [code for code in codes if code.strip().upper() not in found]
    if unknown:
        raise Invalid.field("projects_codes", f"Unknown project code(s): {', '.join(unknown)}.")
    return sorted(set(found.values()))


def _link_projects(session: Session, field_id: int, project_ids: Sequence[int]) -> None:
    if project_ids:
        session.execute(
            insert(CustomFieldProject),
            [{"custom_field_id": field_id, "project_id": pid} for pid in project_ids],
        )


def _unlink_visible_projects(session: Session, actor: Actor, field_id: int) -> None:
    """Drop the links the caller can see; links to projects hidden from it stay."""
    visible = select(Project.id).where(visible_projects(actor))
    session.execute(
        delete(CustomFieldProject).where(
            CustomFieldProject.custom_field_id == field_id,
            CustomFieldProject.project_id.in_(visible),
        )
    )
