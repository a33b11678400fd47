"""Cases as the API shows them, built for a whole page in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from testament.attachments import service as attachments
from testament.cases import steps
from testament.cases.fields import AUTOMATION_AUTOMATED, AUTOMATION_TO_BE_AUTOMATED
from testament.cases.schemas import Case as CaseSchema
from testament.cases.schemas import CustomFieldValue, ExternalIssue, ExternalIssueRef, TagValue
from testament.custom_fields import service as custom_fields
from testament.external_issues import service as external_issues
from testament.kit.schemas import legacy_datetime_micro
from testament.milestones import service as milestones
from testament.models.cases import Case, CaseParameter
from testament.shared_parameters import service as shared_parameters
from testament.suites import service as suites
from testament.tags import service as tags


def _tags(session: Session, case_ids: Sequence[int]) -> dict[int, list[TagValue]]:
    return {
        case_id: [TagValue(title=title, internal_id=tag_id) for tag_id, title in found]
        for case_id, found in tags.tags_for(session, "case", case_ids).items()
    }


def _parameters(session: Session, case_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    rows = session.scalars(
        select(CaseParameter)
        .where(CaseParameter.case_id.in_(case_ids))
        .order_by(CaseParameter.case_id, CaseParameter.position)
    ).all()
    shared_ids = {r.shared_parameter_id for r in rows if r.shared_parameter_id is not None}
    shared = shared_parameters.describe_for_ids(session, shared_ids) if shared_ids else {}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.shared_parameter_id is not None:
            if row.shared_parameter_id in shared:
                found[row.case_id].append(dict(shared[row.shared_parameter_id]))
            continue
        items = row.items or []
        if row.type == "group":
            found[row.case_id].append({"shared_id": None, "type": "group", "items": items})
        else:
            found[row.case_id].append({"shared_id": None, "type": "single", "item": items[0]})
    return found


def _legacy_params(parameters: list[dict[str, Any]]) -> dict[str, list[str]] | list[Any]:
    params: dict[str, list[str]] = {}
    for parameter in parameters:
        items = parameter.get("items") or [parameter.get("item")]
        for item in items:
            if item:
                params[item["title"]] = list(item["values"])
    return params or []


def _external_issues(session: Session, case_ids: Sequence[int]) -> dict[int, list[ExternalIssue]]:
    """Each case's issues grouped by tracker, as the contract's ExternalIssue."""
    described = {}
    for case_id, links in external_issues.issues_for(session, "case", case_ids).items():
        by_type: dict[str, list[ExternalIssueRef]] = defaultdict(list)
        for link in links:
            by_type[link.type].append(ExternalIssueRef(id=link.external_id, link=link.link or ""))
        described[case_id] = [
            ExternalIssue(type=kind, issues=issues) for kind, issues in by_type.items()
        ]
    return described


def describe(session: Session, cases: Sequence[Case], base_url: str) -> list[CaseSchema]:
    if not cases:
        return []
    ids = [case.id for case in cases]
    suite_numbers = suites.numbers_for_ids(session, {c.suite_id for c in cases if c.suite_id})
    milestone_numbers = milestones.numbers_for_ids(
        session, {c.milestone_id for c in cases if c.milestone_id}
    )
    case_steps = steps.steps_for_cases(session, ids, base_url)
    files = attachments.for_entities(session, "case", ids, base_url)
    case_tags = _tags(session, ids)
    parameters = _parameters(session, ids)
    values = custom_fields.read_values(session, "case", ids)
    issues = _external_issues(session, ids)
    described = []
    for case in cases:
        case_parameters = parameters.get(case.id, [])
        described.append(
            CaseSchema(
                id=case.number,
                position=case.position,
                title=case.title,
                description=case.description,
                preconditions=case.preconditions,
                postconditions=case.postconditions,
                severity=case.severity,
                priority=case.priority,
                type=case.type,
                layer=case.layer,
                is_flaky=case.is_flaky,
                behavior=case.behavior,
                automation=case.automation,
                is_manual=case.automation != AUTOMATION_AUTOMATED,
                is_to_be_automated=case.automation == AUTOMATION_TO_BE_AUTOMATED,
                status=case.status,
                milestone_id=milestone_numbers.get(case.milestone_id)
                if case.milestone_id
                else None,
                suite_id=suite_numbers.get(case.suite_id) if case.suite_id else None,
                custom_fields=[
                    CustomFieldValue(id=int(v["id"]), value=str(v["value"]))
                    for v in values.get(case.id, [])
                ],
                attachments=[a.model_dump() for a in files.get(case.id, [])],
                steps_type="gherkin" if case.steps_type == "gherkin" else "classic",
                steps=case_steps.get(case.id, []),
                params=_legacy_params(case_parameters),
                parameters=case_parameters,
                tags=case_tags.get(case.id, []),
                member_id=case.author_id,
                author_id=case.author_id,
                created_at=case.created_at,
                updated_at=case.updated_at,
                deleted=legacy_datetime_micro(case.deleted_at) if case.deleted_at else None,
                created=legacy_datetime_micro(case.created_at),
                updated=legacy_datetime_micro(case.updated_at),
                external_issues=issues.get(case.id, []),
            )
        )
    return described
