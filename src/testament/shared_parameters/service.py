"""Shared parameter rules: workspace-wide values enabled in some or all projects."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from testament.access.actor import Actor
from testament.access.visibility import visible_projects
from testament.kit import audit
from testament.kit.errors import BadRequest, Invalid, NotFound
from testament.kit.text_search import contains_ignoring_case
from testament.models.base import utcnow
from testament.models.cases import Case, CaseParameter
from testament.models.project import Project
from testament.models.reviews import Review
from testament.models.shared_parameters import SharedParameter, SharedParameterProject
from testament.shared_parameters.filters import PROJECT_CODES_FILTER, SharedParameterFilters
from testament.shared_parameters.schemas import (
    ParameterInput,
    SharedParameterCreate,
    SharedParameterUpdate,
)
from testament.shared_parameters.schemas import SharedParameter as SharedParameterSchema

OPEN_REVIEW = "open"


def visible_parameters(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `SharedParameter` true for the ones the actor may see: enabled for all
    projects, enabled in no project, or enabled in a project the actor sees. One enabled only in
    projects hidden from the actor is those projects' test data (its values may be logins), and
    changing or deleting it would change their cases."""
    if actor.sees_all_projects:
        return true()
    linked = select(SharedParameterProject.project_id).where(
        SharedParameterProject.shared_parameter_id == SharedParameter.id
    )
    linked_to_visible = (
        linked.join(Project, Project.id == SharedParameterProject.project_id)
        .where(visible_projects(actor))
        .exists()
    )
    return or_(
        SharedParameter.is_enabled_for_all_projects.is_(True), ~linked.exists(), linked_to_visible
    )


def list_statement(actor: Actor) -> Select[SharedParameter]:
    return select(SharedParameter).where(visible_parameters(actor)).order_by(SharedParameter.id)


def filtered_statement(
    session: Session, actor: Actor, filters: SharedParameterFilters
) -> Select[SharedParameter] | None:
    """The list narrowed by `filters` (None when none is given); a project the caller cannot
    see is a 400."""
    if not filters.any:
        return None
    statement = list_statement(actor)
    if filters.search:
        statement = statement.where(contains_ignoring_case(SharedParameter.title, filters.search))
    if filters.type:
        statement = statement.where(SharedParameter.type == filters.type)
    if filters.project_codes:
        project_ids = _project_ids(
            session, actor, filters.project_codes, PROJECT_CODES_FILTER, query=True
        )
        statement = statement.where(_available_in(project_ids))
    return statement


def _available_in(project_ids: Collection[int]) -> Any:
    linked = exists().where(
        SharedParameterProject.shared_parameter_id == SharedParameter.id,
        SharedParameterProject.project_id.in_(project_ids),
    )
    return or_(SharedParameter.is_enabled_for_all_projects.is_(True), linked)


def _project_ids(
    session: Session, actor: Actor, codes: Collection[str], field: str, *, query: bool = False
) -> set[int]:
    """Ids of the projects the caller can see, by code; an unknown or hidden one is an error."""
    wanted = {code.upper() for code in codes}
    if not wanted:
        return set()
    found = dict(
        session.execute(
            select(Project.code, Project.id).where(
                func.upper(Project.code).in_(wanted), visible_projects(actor)
            )
        ).all()
    )
    missing = sorted(wanted - {code.upper() for code in found})
    if missing:
        message = f"Project {', '.join(missing)} not found."
        if query:
            raise BadRequest.parameter(field, message)
        raise Invalid.field(field, message)
    return set(found.values())


def get_by_uuid(
    session: Session, actor: Actor, parameter_uuid: uuid.UUID, *, for_update: bool = False
) -> SharedParameter:
    """The shared parameter, if the actor may see it (404 otherwise); `for_update` locks it so
    writers take turns."""
    statement = select(SharedParameter).where(
        SharedParameter.uuid == parameter_uuid, visible_parameters(actor)
    )
    shared = session.scalar(statement.with_for_update() if for_update else statement)
    if shared is None:
        raise NotFound(f"Shared parameter {parameter_uuid} not found.")
    return shared


def _checked_parameters(
    parameter_type: str, parameters: Sequence[ParameterInput]
) -> list[dict[str, Any]]:
    if parameter_type == "single":
        if len(parameters) != 1:
            raise Invalid.field("parameters", "a single parameter has exactly one item")
    else:
        if len(parameters) < 2:
            raise Invalid.field("parameters", "a group needs at least 2 parameters")
        if len({len(p.values) for p in parameters}) != 1:
            raise Invalid.field(
                "parameters", "every parameter of a group needs as many values as the others"
            )
        titles = [p.title for p in parameters]
        duplicated = sorted({t for t in titles if titles.count(t) > 1})
        if duplicated:
            raise Invalid.field("parameters", f"parameter {duplicated[0]!r} is given twice")
    return [{"title": p.title, "values": list(p.values)} for p in parameters]


def create(session: Session, actor: Actor, data: SharedParameterCreate) -> SharedParameter:
    parameters = _checked_parameters(data.type, data.parameters)
    project_ids = _project_ids(session, actor, data.project_codes or [], "project_codes")
    shared = SharedParameter(
        uuid=uuid.uuid4(),
        title=data.title,
        type=data.type,
        is_enabled_for_all_projects=data.is_enabled_for_all_projects,
        parameters=parameters,
        author_id=actor.author_id,
    )
    session.add(shared)
    session.flush()
    session.add_all(
        SharedParameterProject(shared_parameter_id=shared.id, project_id=pid)
        for pid in sorted(project_ids)
    )
    audit.created(
        session,
        actor,
        "shared_parameter",
        str(shared.uuid),
        changes={
            "title": data.title,
            "type": data.type,
            "project_codes": sorted({c.upper() for c in data.project_codes or []}),
            "is_enabled_for_all_projects": data.is_enabled_for_all_projects,
        },
    )
    return shared


def update_parameter(
    session: Session, actor: Actor, shared: SharedParameter, data: SharedParameterUpdate
) -> SharedParameter:
    changes: dict[str, Any] = {}
    if data.title is not None:
        shared.title = changes["title"] = data.title
    if data.is_enabled_for_all_projects is not None:
        shared.is_enabled_for_all_projects = data.is_enabled_for_all_projects
        changes["is_enabled_for_all_projects"] = data.is_enabled_for_all_projects
    if data.parameters is not None:
        shared.parameters = _checked_parameters(shared.type, data.parameters)
        changes["parameters"] = len(shared.parameters)
    if data.project_codes is not None:
        _replace_visible_links(session, actor, shared.id, data.project_codes)
        changes["project_codes"] = sorted({c.upper() for c in data.project_codes})
    shared.updated_at = utcnow()
    session.flush()
    audit.updated(session, actor, "shared_parameter", str(shared.uuid), changes=changes)
    return shared


def _replace_visible_links(
    session: Session, actor: Actor, shared_id: int, codes: Sequence[str]
) -> None:
    """Set the projects the caller can see; links to projects hidden from it are kept."""
    wanted = _project_ids(session, actor, codes, "project_codes")
    visible_linked = set(
        session.scalars(
            select(SharedParameterProject.project_id)
            .join(Project, Project.id == SharedParameterProject.project_id)
            .where(SharedParameterProject.shared_parameter_id == shared_id, visible_projects(actor))
        ).all()
    )
    dropped = visible_linked - wanted
    if dropped:
        session.execute(
            delete(SharedParameterProject).where(
                SharedParameterProject.shared_parameter_id == shared_id,
                SharedParameterProject.project_id.in_(dropped),
            )
        )
    session.add_all(
        SharedParameterProject(shared_parameter_id=shared_id, project_id=pid)
        for pid in sorted(wanted - visible_linked)
    )


def delete_parameter(session: Session, actor: Actor, shared: SharedParameter) -> None:
    """Delete it with its usages: case parameters (FK cascade) and open review proposals."""
    case_ids = set(
        session.scalars(
            select(CaseParameter.case_id).where(CaseParameter.shared_parameter_id == shared.id)
        ).all()
    )
    shared_uuid = str(shared.uuid)
    session.execute(delete(SharedParameter).where(SharedParameter.id == shared.id))
    if case_ids:
        session.execute(
            update(Case)
            .where(Case.id.in_(case_ids))
            .values(revision=Case.revision + 1, updated_at=utcnow(), updated_by=actor.author_id)
        )
    reviews = _remove_from_open_reviews(session, shared_uuid)
    audit.deleted(
        session,
        actor,
        "shared_parameter",
        shared_uuid,
        changes={"removed_from_cases": len(case_ids), "removed_from_reviews": reviews},
    )


def _remove_from_open_reviews(session: Session, shared_uuid: str) -> int:
    """Drop `{"shared_id": uuid}` entries from open reviews' proposed parameters."""
    candidates = session.scalars(
        select(Review).where(
            Review.status == OPEN_REVIEW,
            func.lower(cast(Review.proposed_case, String)).contains(shared_uuid, autoescape=True),
        )
    ).all()
    changed = 0
    for review in candidates:
        parameters = review.proposed_case.get("parameters")
        if not isinstance(parameters, list):
            continue
        kept = [p for p in parameters if not _refers_to(p, shared_uuid)]
        if len(kept) != len(parameters):
            review.proposed_case = {**review.proposed_case, "parameters": kept}
            changed += 1
    return changed


def _refers_to(parameter: object, shared_uuid: str) -> bool:
    return (
        isinstance(parameter, dict) and str(parameter.get("shared_id", "")).lower() == shared_uuid
    )


def describe(
    session: Session, actor: Actor, parameters: Sequence[SharedParameter]
) -> list[SharedParameterSchema]:
    """As the API shows them; `project_codes` lists only the projects the caller can see."""
    if not parameters:
        return []
    rows = session.execute(
        select(SharedParameterProject.shared_parameter_id, Project.code)
        .join(Project, Project.id == SharedParameterProject.project_id)
        .where(
            SharedParameterProject.shared_parameter_id.in_([p.id for p in parameters]),
            visible_projects(actor),
        )
        .order_by(Project.code)
    ).all()
    codes: dict[int, list[str]] = {}
    for shared_id, code in rows:
        codes.setdefault(shared_id, []).append(code)
    return [
        SharedParameterSchema.model_validate(
            {
                "id": str(p.uuid),
                "title": p.title,
                "type": p.type,
                "project_codes": codes.get(p.id, []),
                "is_enabled_for_all_projects": p.is_enabled_for_all_projects,
                "parameters": p.parameters,
            }
        )
        for p in parameters
    ]


# --- For the cases resource ------------------------------------------------------------------


def ids_for_uuids(
    session: Session, project_id: int, uuids: Collection[str], field: str = "parameters"
) -> dict[str, int]:
    """Global ids by the uuid strings given; each must be enabled for the project (else 422)."""
    parsed: dict[str, uuid.UUID] = {}
    for raw in uuids:
        try:
            parsed[raw] = uuid.UUID(str(raw))
        except ValueError:
            raise Invalid.field(field, f"shared parameter id {raw!r} is not a UUID") from None
    if not parsed:
        return {}
    found = dict(
        session.execute(
            select(SharedParameter.uuid, SharedParameter.id).where(
                SharedParameter.uuid.in_(set(parsed.values())), _available_in([project_id])
            )
        ).all()
    )
    missing = sorted(raw for raw, value in parsed.items() if value not in found)
    if missing:
        raise Invalid.field(
            field,
            f"Shared parameter {', '.join(missing)} not found or not enabled in this project.",
        )
    return {raw: found[value] for raw, value in parsed.items()}


def describe_for_ids(session: Session, ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """What a case shows for a reference, shaped as the contract's `TestCaseParameter`:
    `{"shared_id", "type": "single", "item"}` or `{"shared_id", "type": "group", "items"}`."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            SharedParameter.id,
            SharedParameter.uuid,
            SharedParameter.type,
            SharedParameter.parameters,
        ).where(SharedParameter.id.in_(set(ids)))
    ).all()
    described: dict[int, dict[str, Any]] = {}
    for shared_id, shared_uuid, parameter_type, parameters in rows:
        values = [{"title": p["title"], "values": list(p["values"])} for p in parameters]
        if parameter_type == "single":
            described[shared_id] = {
                "shared_id": str(shared_uuid),
                "type": "single",
                "item": values[0],
            }
        else:
            described[shared_id] = {"shared_id": str(shared_uuid), "type": "group", "items": values}
    return described
