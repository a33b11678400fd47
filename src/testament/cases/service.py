"""Case rules: create (one or in bulk), update with a revision bump, soft delete, lookups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.attachments import service as attachments
from testament.cases import fields, steps
from testament.cases.schemas import BulkCase, CaseCreate, CaseUpdate, CaseWrite
from testament.custom_fields import service as custom_fields
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import Invalid, NotFound, PayloadTooLarge
from testament.kit.numbering import next_project_numbers
from testament.kit.timestamps import body_datetime
from testament.milestones import service as milestones
from testament.models.cases import Case
from testament.models.project import ProjectCounter
from testament.suites import service as suites
from testament.tags import service as tags

CASE_KIND = "case"


def get_case(session: Session, project_id: int, number: int) -> Case:
    """A live (not deleted) case by its number in the project; 404 otherwise."""
    case = numbered.by_number(session, Case, project_id, number, Case.deleted_at.is_(None))
    if case is None:
        raise NotFound(f"Test case {number} not found.")
    return case


def _apply(
    session: Session, ctx: ProjectContext, case: Case, data: CaseWrite, *, creating: bool
) -> None:
    """Write every field the request carries onto the case and its child rows."""
    project_id = ctx.project.id
    given = data.model_fields_set
    for name in ("title", "description", "preconditions", "postconditions"):
        if name in given and (name != "title" or data.title is not None):
            setattr(case, name, getattr(data, name))
    for name, option in fields.enum_values(data).items():
        setattr(case, name, option)
    automation = fields.automation_value(data, None if creating else case.automation)
    if automation is not None:
        case.automation = automation
    if "suite_id" in given:
        case.suite_id = suites.suite_id_for_number(session, project_id, data.suite_id)
    if "milestone_id" in given:
        case.milestone_id = milestones.milestone_id_for_number(
            session, project_id, data.milestone_id
        )
    if data.steps_type is not None:
        if not creating and data.steps_type != case.steps_type and data.steps is None:
            raise Invalid.field(
                "steps_type", "changing steps_type needs the steps in the new format"
            )
        case.steps_type = data.steps_type
    session.flush()

    if data.steps is not None:
        steps.replace_steps(
            session,
            project_id,
            case.id,
            data.steps,
            gherkin=case.steps_type == "gherkin",
            replacing=not creating,
        )
    if data.tags is not None:
        tags.replace_tags(session, project_id, "case", case.id, data.tags)
    parameters = data.parameters
    if parameters is None and data.params is not None:
        parameters = fields.parameters_from_params(data.params)
    if parameters is not None:
        fields.replace_parameters(session, project_id, case.id, parameters)
    if data.attachments is not None:
        attachments.unlink_all(session, "case", [case.id])
        attachments.link(session, project_id, data.attachments, "case", case.id)
    if data.custom_field is not None or creating:
        checked = custom_fields.check_values(
            session,
            project_id,
            "case",
            custom_fields.parse_keys(data.custom_field),
            creating=creating,
        )
        custom_fields.write_values(session, project_id, "case", case.id, checked)


def _next_position(session: Session, project_id: int, suite_id: int | None) -> int:
    last = session.scalar(
        select(func.max(Case.position)).where(
            Case.project_id == project_id, Case.suite_id == suite_id
        )
    )
    return int(last or 0) + 1


def create_case(
    session: Session, ctx: ProjectContext, data: CaseCreate, number: int | None = None
) -> Case:
    """Create one case; `number` is taken from the project's counter unless given (bulk import)."""
    project_id = ctx.project.id
    if number is None:
        number = next_project_numbers(session, project_id, CASE_KIND)[0]
    created_at = body_datetime("created_at", data.created_at) or datetime.now(UTC)
    updated_at = body_datetime("updated_at", data.updated_at) or created_at
    case = Case(
        project_id=project_id,
        number=number,
        title=data.title,
        author_id=ctx.actor.author_id,
        updated_by=ctx.actor.author_id,
        created_at=created_at,
        updated_at=updated_at,
        revision=1,
    )
    session.add(case)
    _apply(session, ctx, case, data, creating=True)
    case.position = _next_position(session, project_id, case.suite_id)
    session.flush()
    audit.created(
        session,
        ctx.actor,
        "case",
        number,
        project_id=project_id,
        changes={"title": case.title},
    )
    return case


def update_case(session: Session, ctx: ProjectContext, number: int, data: CaseUpdate) -> Case:
    case = get_case(session, ctx.project.id, number)
    if "title" in data.model_fields_set and data.title is None:
        raise Invalid.field("title", "the title cannot be empty")
    before = audit.snapshot(case)
    old_suite = case.suite_id
    _apply(session, ctx, case, data, creating=False)
    if case.suite_id != old_suite:
        case.position = _next_position(session, ctx.project.id, case.suite_id)
    case.revision += 1
    case.updated_by = ctx.actor.author_id
    case.updated_at = datetime.now(UTC)
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        "case",
        number,
        project_id=ctx.project.id,
        changes=audit.update_changes(before, case, data),
    )
    return case


def delete_case(session: Session, ctx: ProjectContext, number: int) -> None:
    """Soft delete: the case leaves the repository, but runs and results keep what they showed."""
    case = get_case(session, ctx.project.id, number)
    case.deleted_at = datetime.now(UTC)
    session.flush()
    audit.deleted(
        session,
        ctx.actor,
        "case",
        number,
        project_id=ctx.project.id,
        changes={"title": case.title},
    )


def bulk_create(
    session: Session, ctx: ProjectContext, cases: Sequence[BulkCase], max_items: int
) -> list[int]:
    """All or nothing: every case is created, or none (the request's transaction rolls back)."""
    if not cases:
        raise Invalid.field("cases", "give at least one case")
    if len(cases) > max_items:
        raise PayloadTooLarge(
            f"A bulk request may create at most {max_items} cases; this one has {len(cases)}."
        )
    project_id = ctx.project.id
    explicit = [c.id for c in cases if c.id is not None]
    if len(explicit) != len(set(explicit)):
        raise Invalid.field("cases", "the same id is given to two cases")
    if explicit:
        taken = session.scalars(
            select(Case.number).where(Case.project_id == project_id, Case.number.in_(explicit))
        ).all()
        if taken:
            raise Invalid.field("cases", f"case ids already in use: {sorted(taken)}")
        # Later numbers from the counter must not collide with the imported ids.
        session.execute(
            update(ProjectCounter)
            .where(
                ProjectCounter.project_id == project_id,
                ProjectCounter.kind == CASE_KIND,
                ProjectCounter.last_number < max(explicit),
            )
            .values(last_number=max(explicit))
        )
    numbers = iter(next_project_numbers(session, project_id, CASE_KIND, len(cases) - len(explicit)))
    created = []
    for index, data in enumerate(cases):
        try:
            case = create_case(
                session, ctx, data, number=data.id if data.id is not None else next(numbers)
            )
        except Invalid as exc:
            raise Invalid(
                f"Data is invalid: cases[{index}]: {exc.message}",
                [type(f)(f"cases[{index}].{f.field}", f.error) for f in exc.fields],
            ) from None
        created.append(case.number)
    return created
