"""Runs as the API shows them, a whole page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.cases.schemas import CustomFieldValue, TagValue
from testament.configurations import service as configurations
from testament.custom_fields import service as custom_fields
from testament.external_issues import service as external_issues
from testament.kit.schemas import as_utc
from testament.models.cases import Case
from testament.models.environments import Environment
from testament.models.milestones import Milestone
from testament.models.runs import Run, RunCase, RunConfiguration
from testament.plans import service as plans
from testament.runs.schemas import Run as RunSchema
from testament.runs.schemas import RunEnvironment, RunExternalIssue, RunMilestone, RunStats
from testament.runs.service import status_counts
from testament.runs.statuses import V1_STATUS
from testament.tags import service as tags

DEPRECATED_STATS = (
    "untested",
    "passed",
    "failed",
    "blocked",
    "skipped",
    "retest",
    "in_progress",
    "invalid",
)


def stats_from(counts: dict[str, int]) -> RunStats:
    """`statuses` has every status present; the deprecated per-status fields always add up."""
    return RunStats(
        total=sum(counts.values()),
        statuses=dict(sorted(counts.items())),
        **{name: counts.get(name, 0) for name in DEPRECATED_STATS},
    )


def _elapsed_ms(run: Run) -> int:
    if run.start_time is None:
        return 0
    end = as_utc(run.end_time) if run.end_time else datetime.now(UTC)
    return max(0, int((end - as_utc(run.start_time)).total_seconds() * 1000))


def describe(session: Session, runs: Sequence[Run], *, include_cases: bool) -> list[RunSchema]:
    if not runs:
        return []
    ids = [run.id for run in runs]
    counts = status_counts(session, ids)
    environments = {
        env.id: env
        for env in session.scalars(
            select(Environment).where(
                Environment.id.in_({r.environment_id for r in runs if r.environment_id})
            )
        )
    }
    milestones = {
        m.id: m
        for m in session.scalars(
            select(Milestone).where(
                Milestone.id.in_({r.milestone_id for r in runs if r.milestone_id})
            )
        )
    }
    run_tags = {
        run_id: [TagValue(title=title, internal_id=tag_id) for tag_id, title in found]
        for run_id, found in tags.tags_for(session, "run", ids).items()
    }
    config_rows = session.execute(
        select(RunConfiguration.run_id, RunConfiguration.configuration_id).where(
            RunConfiguration.run_id.in_(ids)
        )
    ).all()
    config_numbers = configurations.numbers_for_ids(session, {c for _, c in config_rows})
    run_configs: dict[int, list[int]] = defaultdict(list)
    for run_id, config_id in config_rows:
        run_configs[run_id].append(config_numbers[config_id])
    plan_numbers = plans.numbers_for_ids(session, {r.plan_id for r in runs if r.plan_id})
    values = custom_fields.read_values(session, "run", ids)
    issues = external_issues.issues_for(session, "run", ids)
    run_cases: dict[int, list[int]] = defaultdict(list)
    if include_cases:
        for run_id, number in session.execute(
            select(RunCase.run_id, Case.number)
            .join(Case, Case.id == RunCase.case_id)
            .where(RunCase.run_id.in_(ids))
            .order_by(Case.number)
        ):
            run_cases[run_id].append(number)

    described = []
    for run in runs:
        env = environments.get(run.environment_id) if run.environment_id else None
        milestone = milestones.get(run.milestone_id) if run.milestone_id else None
        issue = next(iter(issues.get(run.id, [])), None)
        described.append(
            RunSchema(
                id=run.number,
                run_id=run.number,
                title=run.title,
                description=run.description,
                status=V1_STATUS[run.status],
                status_text=run.status,
                start_time=run.start_time,
                end_time=run.end_time,
                public=run.is_public,
                stats=stats_from(counts.get(run.id, {})),
                time_spent=run.time_spent,
                elapsed_time=_elapsed_ms(run),
                environment=RunEnvironment(
                    title=env.title,
                    description=env.description or "",
                    slug=env.slug,
                    host=env.host or "",
                )
                if env
                else None,
                milestone=RunMilestone(
                    title=milestone.title, description=milestone.description or ""
                )
                if milestone
                else None,
                custom_fields=[
                    CustomFieldValue(id=int(v["id"]), value=str(v["value"]))
                    for v in values.get(run.id, [])
                ],
                tags=run_tags.get(run.id, []),
                cases=run_cases.get(run.id, []) if include_cases else None,
                plan_id=plan_numbers.get(run.plan_id) if run.plan_id else None,
                configurations=sorted(run_configs.get(run.id, [])),
                external_issue=RunExternalIssue(
                    id=issue.external_id, link=issue.link or None, type=issue.type
                )
                if issue
                else None,
            )
        )
    return described
