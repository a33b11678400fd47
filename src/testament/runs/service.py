"""Run rules: create (from cases, a plan or the whole project), update, complete, publish."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.configurations import service as configurations
from testament.custom_fields import service as custom_fields
from testament.environments import service as environments
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.concurrency import insert_or_ignore
from testament.kit.errors import Invalid, NotFound
from testament.kit.numbering import next_project_number
from testament.kit.timestamps import body_datetime
from testament.milestones import service as milestones
from testament.models.cases import Case
from testament.models.identity import Author
from testament.models.runs import Run, RunCase, RunConfiguration
from testament.plans import service as plans
from testament.runs.schemas import RunCreate, RunUpdate
from testament.runs.statuses import FAILED, FAILING_STATUSES, IN_PROGRESS, PASSED
from testament.tags import service as tags

RUN_KIND = "run"


def get_run(session: Session, project_id: int, number: int) -> Run:
    run = numbered.by_number(session, Run, project_id, number)
    if run is None:
        raise NotFound(f"Test run {number} not found.")
    return run


def _live_case_ids(session: Session, project_id: int, numbers: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(numbers))
    found = numbered.ids_for_numbers(session, Case, project_id, wanted, Case.deleted_at.is_(None))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise Invalid.field("cases", f"Test cases not found in this project: {missing[:20]}")
    return [found[n] for n in wanted]


def _environment(session: Session, project_id: int, data: RunCreate | RunUpdate) -> int | None:
    if data.environment_slug:
        return environments.environment_id_for(
            session, project_id, slug=data.environment_slug, field="environment_slug"
        )
    return environments.environment_id_for(session, project_id, number=data.environment_id)


def replace_tags(session: Session, project_id: int, run_id: int, titles: Sequence[str]) -> None:
    """The run's tags become `titles`: trimmed, once each, 1-255 characters (422 otherwise)."""
    titles = list(dict.fromkeys(t.strip() for t in titles))
    if any(not t or len(t) > 255 for t in titles):
        raise Invalid.field("tags", "each tag must be 1-255 characters")
    tags.replace_tags(session, project_id, "run", run_id, titles)


def replace_configurations(
    session: Session, project_id: int, run_id: int, numbers: Sequence[int]
) -> None:
    session.execute(delete(RunConfiguration).where(RunConfiguration.run_id == run_id))
    if numbers:
        ids = configurations.ids_for_numbers(session, project_id, numbers)
        session.execute(
            insert(RunConfiguration),
            [
                {"project_id": project_id, "run_id": run_id, "configuration_id": ids[n]}
                for n in dict.fromkeys(numbers)
            ],
        )


def add_cases(
    session: Session, project_id: int, run_id: int, cases: Sequence[tuple[int, int | None]]
) -> None:
    """Put cases into the run (case id, assignee); cases already in it are left as they are.

    In key order: two batches inserting overlapping new cases in different orders would each
    wait for the other's row on PostgreSQL (a deadlock)."""
    rows = [
        {"project_id": project_id, "run_id": run_id, "case_id": case_id, "assignee_id": assignee}
        for case_id, assignee in sorted(dict(cases).items())
    ]
    if rows:
        session.execute(insert_or_ignore(session, RunCase.__table__), rows)


def create_run(session: Session, ctx: ProjectContext, data: RunCreate) -> Run:
    project_id = ctx.project.id
    author_id = ctx.actor.author_id
    if data.author_id is not None:
        if session.get(Author, data.author_id) is None:
            raise Invalid.field("author_id", f"Author {data.author_id} not found.")
        author_id = data.author_id
    run = Run(
        project_id=project_id,
        number=next_project_number(session, project_id, RUN_KIND),
        title=data.title,
        description=data.description,
        status=IN_PROGRESS,
        is_autotest=data.is_autotest,
        start_time=body_datetime("start_time", data.start_time) or datetime.now(UTC),
        end_time=body_datetime("end_time", data.end_time),
        environment_id=_environment(session, project_id, data),
        milestone_id=milestones.milestone_id_for_number(session, project_id, data.milestone_id),
        plan_id=plans.plan_id_for_number(session, project_id, data.plan_id),
        author_id=author_id,
    )
    session.add(run)
    session.flush()

    chosen: list[tuple[int, int | None]] = []
    if data.plan_id is not None:
        chosen += plans.case_ids_for_plan(session, project_id, data.plan_id)
    if data.cases:
        chosen += [(case_id, None) for case_id in _live_case_ids(session, project_id, data.cases)]
    if data.include_all_cases:
        chosen += [
            (case_id, None)
            for case_id in session.scalars(
                select(Case.id)
                .where(Case.project_id == project_id, Case.deleted_at.is_(None))
                .order_by(Case.number)
            )
        ]
    add_cases(session, project_id, run.id, chosen)
    if data.tags:
        replace_tags(session, project_id, run.id, data.tags)
    if data.configurations:
        replace_configurations(session, project_id, run.id, data.configurations)
    checked = custom_fields.check_values(
        session, project_id, "run", custom_fields.parse_keys(data.custom_field), creating=True
    )
    custom_fields.write_values(session, project_id, "run", run.id, checked)
    audit.created(
        session,
        ctx.actor,
        "run",
        run.number,
        project_id=project_id,
        changes={"title": data.title, "cases": len(chosen)},
    )
    return run


def update_run(session: Session, ctx: ProjectContext, number: int, data: RunUpdate) -> Run:
    project_id = ctx.project.id
    run = get_run(session, project_id, number)
    before = audit.snapshot(run)
    sent = data.model_fields_set
    if "title" in sent:
        if data.title is None:
            raise Invalid.field("title", "the title cannot be empty")
        run.title = data.title
    if "description" in sent:
        run.description = data.description
    if "environment_id" in sent or "environment_slug" in sent:
        run.environment_id = _environment(session, project_id, data)
    if "milestone_id" in sent:
        run.milestone_id = milestones.milestone_id_for_number(
            session, project_id, data.milestone_id
        )
    if data.tags is not None:
        replace_tags(session, project_id, run.id, data.tags)
    if data.configurations is not None:
        replace_configurations(session, project_id, run.id, data.configurations)
    if data.custom_field is not None:
        checked = custom_fields.check_values(
            session, project_id, "run", custom_fields.parse_keys(data.custom_field), creating=False
        )
        custom_fields.write_values(session, project_id, "run", run.id, checked)
    run.updated_at = datetime.now(UTC)
    session.flush()
    audit.updated(
        session,
        ctx.actor,
        "run",
        number,
        project_id=project_id,
        changes=audit.update_changes(before, run, data),
    )
    return run


def complete_run(session: Session, ctx: ProjectContext, number: int) -> Run:
    """Complete the run: passed, or failed when a case's newest result (the status its run case
    stands at, see case_status) failed. Completing a completed run changes nothing (the
    reporters may call it twice)."""
    run = get_run(session, ctx.project.id, number)
    if run.status != IN_PROGRESS:
        return run
    failing = session.scalar(
        select(func.count()).where(RunCase.run_id == run.id, RunCase.status.in_(FAILING_STATUSES))
    )
    run.status = FAILED if failing else PASSED
    run.end_time = datetime.now(UTC)
    session.flush()
    audit.event(
        session,
        ctx.actor,
        "complete",
        "run",
        number,
        project_id=ctx.project.id,
        changes={"status": run.status},
    )
    return run


def set_public(session: Session, ctx: ProjectContext, number: int, public: bool) -> Run:
    run = get_run(session, ctx.project.id, number)
    run.is_public = public
    if public and run.public_hash is None:
        run.public_hash = secrets.token_urlsafe(24)
    session.flush()
    audit.event(
        session,
        ctx.actor,
        "publish" if public else "unpublish",
        "run",
        number,
        project_id=ctx.project.id,
    )
    return run


def delete_run(session: Session, ctx: ProjectContext, number: int) -> None:
    run = get_run(session, ctx.project.id, number)
    custom_fields.delete_values(session, "run", [run.id])
    session.delete(run)
    session.flush()
    audit.deleted(
        session,
        ctx.actor,
        "run",
        number,
        project_id=ctx.project.id,
        changes={"title": run.title},
    )


def status_counts(session: Session, run_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per run: how many of its cases stand at each status (their latest result)."""
    rows = session.execute(
        select(RunCase.run_id, RunCase.status, func.count())
        .where(RunCase.run_id.in_(run_ids))
        .group_by(RunCase.run_id, RunCase.status)
    ).all()
    counts: dict[int, dict[str, int]] = {run_id: {} for run_id in run_ids}
    for run_id, status, count in rows:
        counts[run_id][status] = count
    return counts
