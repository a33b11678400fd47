"""Defect rules: create (over the API or from a failed result), update, resolve, change status,
delete; and the read model, built for a whole page in a fixed number of queries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.attachments import service as attachments
from testament.custom_fields import service as custom_fields
from testament.defects import repository
from testament.defects.schemas import (
    CustomFieldValue,
    DefectCreate,
    DefectUpdate,
    DefectWrite,
    TagValue,
)
from testament.defects.schemas import Defect as DefectSchema
from testament.kit import audit
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import next_project_number
from testament.kit.schemas import legacy_datetime
from testament.milestones import service as milestones
from testament.models.base import utcnow
from testament.models.defects import Defect
from testament.system_fields.catalog import default_option, option_slug, resolve_option
from testament.tags import service as tags

DEFECT_KIND = "defect"
ENTITY: Final = "defect"
OPEN, RESOLVED = "open", "resolved"


def get_defect(session: Session, ctx: ProjectContext, number: int) -> Defect:
    defect = repository.by_number(session, ctx.project.id, number)
    if defect is None:
        raise NotFound(f"Defect not found: no defect {number} in project {ctx.project.code}.")
    return defect


def describe(session: Session, defects: Sequence[Defect], base_url: str) -> list[DefectSchema]:
    """Defects as the API shows them: a fixed number of queries per page, whatever its size."""
    if not defects:
        return []
    ids = [d.id for d in defects]
    milestone_numbers = milestones.numbers_for_ids(
        session, {d.milestone_id for d in defects if d.milestone_id is not None}
    )
    files = attachments.for_entities(session, ENTITY, ids, base_url)
    defect_tags = tags.tags_for(session, ENTITY, ids)
    values = custom_fields.read_values(session, ENTITY, ids)
    sources = repository.sources_for(session, ids)
    described = []
    for d in defects:
        runs, results = sources.get(d.id, ([], []))
        described.append(
            DefectSchema(
                id=d.number,
                title=d.title,
                actual_result=d.actual_result,
                severity=option_slug("severity", d.severity),
                status=d.status,
                milestone_id=milestone_numbers.get(d.milestone_id) if d.milestone_id else None,
                custom_fields=[
                    CustomFieldValue(id=int(v["id"]), value=str(v["value"]))
                    for v in values.get(d.id, [])
                ],
                attachments=files.get(d.id, []),
                resolved_at=d.resolved_at,
                member_id=d.author_id,
                author_id=d.author_id,
                external_data=json.dumps(d.external_data if d.external_data is not None else {}),
                runs=runs,
                results=results,
                tags=[
                    TagValue(title=title, internal_id=tag_id)
                    for tag_id, title in defect_tags.get(d.id, [])
                ],
                created_at=d.created_at,
                updated_at=d.updated_at,
                created=legacy_datetime(d.created_at),
                updated=legacy_datetime(d.updated_at),
            )
        )
    return described


def _write_links(
    session: Session, ctx: ProjectContext, defect: Defect, data: DefectWrite, *, creating: bool
) -> None:
    """Tags, attachments and custom field values the request carries (each replaces what the
    defect had; custom fields only the values sent)."""
    project_id = ctx.project.id
    if data.tags is not None:
        tags.replace_tags(session, project_id, ENTITY, defect.id, data.tags)
    if data.attachments is not None:
        if not creating:
            attachments.unlink_all(session, ENTITY, [defect.id])
        attachments.link(session, project_id, data.attachments, ENTITY, defect.id)
    if data.custom_field is not None or creating:
        checked = custom_fields.check_values(
            session,
            project_id,
            ENTITY,
            custom_fields.parse_keys(data.custom_field),
            creating=creating,
        )
        custom_fields.write_values(session, project_id, ENTITY, defect.id, checked)


def create_defect(session: Session, ctx: ProjectContext, data: DefectCreate) -> Defect:
    """A new, open defect authored by the caller."""
    project_id = ctx.project.id
    defect = Defect(
        project_id=project_id,
        number=next_project_number(session, project_id, DEFECT_KIND),
        title=data.title,
        actual_result=data.actual_result,
        severity=resolve_option("severity", data.severity),
        status=OPEN,
        milestone_id=milestones.milestone_id_for_number(session, project_id, data.milestone_id),
        author_id=ctx.actor.author_id,
    )
    session.add(defect)
    session.flush()
    _write_links(session, ctx, defect, data, creating=True)
    audit.created(
        session,
        ctx.actor,
        ENTITY,
        defect.number,
        project_id=project_id,
        changes={"title": data.title, "severity": defect.severity},
    )
    return defect


def create_for_result(
    session: Session,
    ctx: ProjectContext,
    *,
    title: str,
    actual_result: str,
    severity: int | None,
    result_id: int,
    run_id: int,
    milestone_id: int | None = None,
) -> int:
    """File an open defect from a result posted with `defect: true`; answers its number.

    `result_id`, `run_id` and `milestone_id` are global ids of rows of `ctx.project` (the
    caller has them at hand). `severity` is an option id (None: undefined); an unknown one is a
    422 naming `severity`. Custom fields of defects get their defaults, unless the project has a
    required one without a default: that cannot be filled here, and failing the result for it
    would lose the result, so the defect is then filed without custom values (they can be set
    through update-defect).
    """
    project_id = ctx.project.id
    defect = Defect(
        project_id=project_id,
        number=next_project_number(session, project_id, DEFECT_KIND),
        title=title,
        actual_result=actual_result,
        severity=default_option("severity")
        if severity is None
        else resolve_option("severity", severity),
        status=OPEN,
        milestone_id=milestone_id,
        author_id=ctx.actor.author_id,
    )
    session.add(defect)
    session.flush()
    repository.link_result(session, project_id, defect.id, result_id, run_id)
    try:
        defaults = custom_fields.check_values(session, project_id, ENTITY, {}, creating=True)
    except Invalid:
        defaults = {}
    custom_fields.write_values(session, project_id, ENTITY, defect.id, defaults)
    session.flush()
    audit.created(
        session,
        ctx.actor,
        ENTITY,
        defect.number,
        project_id=project_id,
        changes={"title": title, "severity": defect.severity, "from_result": True},
    )
    return defect.number


def update_defect(session: Session, ctx: ProjectContext, number: int, data: DefectUpdate) -> Defect:
    """Change the fields sent; tags and attachments sent replace the defect's."""
    defect = get_defect(session, ctx, number)
    before = audit.snapshot(defect)
    sent = data.model_fields_set
    if data.title is not None:
        defect.title = data.title
    if data.actual_result is not None:
        defect.actual_result = data.actual_result
    if data.severity is not None:
        defect.severity = resolve_option("severity", data.severity)
    if "milestone_id" in sent:
        defect.milestone_id = milestones.milestone_id_for_number(
            session, ctx.project.id, data.milestone_id
        )
    _write_links(session, ctx, defect, data, creating=False)
    # Links may be all that changed: the row's own onupdate would not fire then.
    defect.updated_at = utcnow()
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        ENTITY,
        number,
        project_id=ctx.project.id,
        changes=audit.update_changes(before, defect, data),
    )
    return defect


def set_status(session: Session, ctx: ProjectContext, number: int, status: str) -> Defect:
    """Move the defect to `status`. `resolved` stamps `resolved_at` (kept when it already was
    resolved); any other status clears it. Setting the current status changes nothing."""
    defect = get_defect(session, ctx, number)
    previous = defect.status
    if status == previous:
        return defect
    now = utcnow()
    defect.status = status
    defect.resolved_at = now if status == RESOLVED else None
    defect.updated_at = now
    session.flush()
    audit.event(
        session,
        ctx.actor,
        "resolve" if status == RESOLVED else "status",
        ENTITY,
        number,
        project_id=ctx.project.id,
        changes={"status": [previous, status]},
    )
    return defect


def resolve_defect(session: Session, ctx: ProjectContext, number: int) -> Defect:
    return set_status(session, ctx, number, RESOLVED)


def delete_defect(session: Session, ctx: ProjectContext, number: int) -> None:
    """Delete the defect with its links: attachments (the files stay), custom field values,
    tags, and its links to results."""
    defect = get_defect(session, ctx, number)
    attachments.unlink_all(session, ENTITY, [defect.id])
    custom_fields.delete_values(session, ENTITY, [defect.id])
    repository.delete_links(session, defect.id)
    tags.delete_links(session, ENTITY, [defect.id])
    session.delete(defect)
    session.flush()
    audit.deleted(session, ctx.actor, ENTITY, number, project_id=ctx.project.id)
