"""A review's proposed case: checked by the case rules themselves, stored as sent, shown back.

The proposal is kept as the `Review.CaseData` fields sent (merged over earlier updates), with
enum slugs resolved to option ids, tags cleaned and parameters in their input form: `{title,
values}`, `{items}` or `{shared_id}` (deleting a shared parameter drops those references from
open reviews). It is validated by applying it with `testament.cases.service` inside a savepoint
that is rolled back, so a proposal is accepted exactly when merging it would be.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.cases import service as cases
from testament.cases.fields import ENUM_FIELDS
from testament.cases.schemas import CaseCreate, CaseUpdate
from testament.kit.errors import FieldError, Invalid
from testament.kit.validation import validation_fields
from testament.models.cases import Case
from testament.reviews import repository
from testament.reviews.schemas import ReviewCaseData
from testament.shared_parameters import service as shared_parameters
from testament.system_fields.catalog import resolve_option

FIELD = "proposed_case"
# Review.CaseData names -> TestCase.create names, where they differ.
CASE_INPUT_NAMES = {"is_manual": "isManual", "is_to_be_automated": "isToBeAutomated"}
# Kept in the proposal and shown, but a case has no mute state the merge could set.
PROPOSAL_ONLY = frozenset({"is_muted"})
GHERKIN_REFUSED = ("action", "expected_result", "data", "shared", "attachments", "steps")


def _invalid(fields: Sequence[FieldError], prefix: str) -> Invalid:
    named = [FieldError(f"{prefix}.{f.field}" if f.field else prefix, f.error) for f in fields]
    if len(named) == 1:
        return Invalid(f"Data is invalid: {named[0].field}: {named[0].error}", named)
    return Invalid(f"Data is invalid: {', '.join(dict.fromkeys(f.field for f in named))}.", named)


@contextmanager
def fields_under(prefix: str) -> Iterator[None]:
    """Re-raise a 422 from within with its fields named under `prefix` (`proposed_case.title`)."""
    try:
        yield
    except Invalid as exc:
        raise _invalid(exc.fields or [FieldError("", exc.message)], prefix) from None


def merged(stored: Mapping[str, Any], data: ReviewCaseData) -> dict[str, Any]:
    """The fields sent merged over the stored proposal; null `parameters` proposes none."""
    proposal = {**stored, **data.model_dump(exclude_unset=True, exclude={"steps"})}
    if data.steps is not None:
        proposal["steps"] = [
            step.model_dump(exclude_unset=True, exclude_none=True) for step in data.steps
        ]
    if "parameters" in proposal and proposal["parameters"] is None:
        del proposal["parameters"]
    return proposal


def case_input(proposal: Mapping[str, Any], *, creating: bool) -> CaseCreate | CaseUpdate:
    """The proposal as the case service's input (`TestCase.create` or `TestCase.update`)."""
    raw = {CASE_INPUT_NAMES.get(k, k): v for k, v in proposal.items() if k not in PROPOSAL_ONLY}
    model = CaseCreate if creating else CaseUpdate
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _invalid(validation_fields(exc.errors()), FIELD) from None


def checked(
    session: Session, ctx: ProjectContext, proposal: Mapping[str, Any], *, case: Case | None
) -> dict[str, Any]:
    """Validate a whole proposal as the case rules would apply it (creating a case when `case`
    is None, else editing it); answers it normalized for storage. A 422 names `proposed_case.*`."""
    normalized = dict(proposal)
    with fields_under(FIELD):
        for name in ENUM_FIELDS:
            if normalized.get(name) is not None:
                normalized[name] = resolve_option(name, normalized[name])
    steps_type = normalized.get("steps_type") or (case.steps_type if case else "classic")
    if steps_type == "gherkin":
        _check_gherkin(normalized.get("steps") or [])
    data = case_input(normalized, creating=case is None)
    if data.tags is not None:
        normalized["tags"] = data.tags
    _dry_run(session, ctx, data, case)
    if normalized.get("parameters"):
        normalized["parameters"] = [_canonical(p) for p in normalized["parameters"]]
    return normalized


def _check_gherkin(steps: Sequence[Any]) -> None:
    """`Review.StepData`: a gherkin step carries its scenario in `value` and nothing else."""
    for index, step in enumerate(steps):
        where = f"{FIELD}.steps[{index}]"
        for key in GHERKIN_REFUSED:
            if step.get(key):
                raise Invalid.field(
                    f"{where}.{key}", "A gherkin step carries only its scenario, in `value`."
                )
        if not step.get("value"):
            raise Invalid.field(f"{where}.value", "A gherkin step needs its scenario in `value`.")


def _dry_run(
    session: Session, ctx: ProjectContext, data: CaseCreate | CaseUpdate, case: Case | None
) -> None:
    savepoint = session.begin_nested()
    try:
        with fields_under(FIELD):
            if case is None:
                assert isinstance(data, CaseCreate)
                cases.create_case(session, ctx, data)
            else:
                assert isinstance(data, CaseUpdate)
                cases.update_case(session, ctx, case.number, data)
    finally:
        savepoint.rollback()


def _single(parameter: Mapping[str, Any]) -> dict[str, Any]:
    return {"title": parameter["title"], "values": list(parameter["values"])}


def _canonical(parameter: Mapping[str, Any]) -> dict[str, Any]:
    """A parameter the case rules accepted, reduced to its input form."""
    if "shared_id" in parameter:
        return {"shared_id": str(uuid.UUID(str(parameter["shared_id"])))}
    if "items" in parameter:
        return {"items": [_single(item) for item in parameter["items"]]}
    return _single(parameter)


# --- Shown as `Review.ProposedCase` ----------------------------------------------------------


def shown(session: Session, proposal: Mapping[str, Any]) -> dict[str, Any]:
    """The proposal as the API shows it: the fields it carries, custom values as a list and
    parameters as a case shows them (shared ones with their current values)."""
    result: dict[str, Any] = {}
    for name in ReviewCaseData.model_fields:
        if name not in proposal:
            continue
        value = proposal[name]
        if name == "custom_field":
            result["custom_fields"] = [
                {"id": int(key), "value": str(text)}
                for key, text in sorted(value.items(), key=lambda item: int(item[0]))
                if str(key).isdigit()
            ]
        elif name == "parameters":
            result["parameters"] = _shown_parameters(session, value or [])
        else:
            result[name] = value
    return result


def _shown_parameters(session: Session, parameters: Sequence[Any]) -> list[dict[str, Any]]:
    references = {str(p["shared_id"]) for p in parameters if "shared_id" in p}
    ids = repository.shared_parameter_ids(session, references)
    described = shared_parameters.describe_for_ids(session, set(ids.values()))
    result: list[dict[str, Any]] = []
    for parameter in parameters:
        if "shared_id" in parameter:
            found = ids.get(str(parameter["shared_id"]))
            if found is not None and found in described:
                result.append(described[found])
        elif "items" in parameter:
            result.append({"shared_id": None, "type": "group", "items": parameter["items"]})
        else:
            result.append({"shared_id": None, "type": "single", "item": _single(parameter)})
    return result
