"""Case field rules shared by create, update and bulk: enums, automation, parameters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from testament.cases.schemas import CaseWrite, ParameterSingleInput
from testament.kit.errors import Invalid
from testament.models.cases import CaseParameter
from testament.shared_parameters import service as shared_parameters
from testament.system_fields.catalog import resolve_option

ENUM_FIELDS = ("severity", "priority", "type", "behavior", "layer", "is_flaky", "status")

AUTOMATION_MANUAL = 0
AUTOMATION_TO_BE_AUTOMATED = 1
AUTOMATION_AUTOMATED = 2


def enum_values(data: CaseWrite) -> dict[str, int]:
    """The enum fields present in the request, resolved to option ids (slugs accepted)."""
    values = {}
    for name in ENUM_FIELDS:
        raw = getattr(data, name)
        if name in data.model_fields_set and raw is not None:
            values[name] = resolve_option(name, raw)
    return values


def automation_value(data: CaseWrite, current: int | None) -> int | None:
    """The automation state the request asks for; `isManual`/`isToBeAutomated` win over the
    deprecated `automation`, as the contract says. None when the request leaves it alone."""
    is_manual, to_be = data.is_manual, data.is_to_be_automated
    if is_manual is None and to_be is None:
        if data.automation is None:
            return None
        return resolve_option("automation", data.automation)
    if is_manual is None:
        base = current if current is not None else AUTOMATION_MANUAL
        is_manual = base != AUTOMATION_AUTOMATED
    if not is_manual:
        return AUTOMATION_AUTOMATED
    if to_be is None:
        to_be = current == AUTOMATION_TO_BE_AUTOMATED
    return AUTOMATION_TO_BE_AUTOMATED if to_be else AUTOMATION_MANUAL


def _single(raw: dict[str, Any], field: str) -> dict[str, Any]:
    try:
        return ParameterSingleInput.model_validate(raw).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Invalid.field(f"{field}.{where}", first["msg"]) from None


def replace_parameters(
    session: Session,
    project_id: int,
    case_id: int,
    parameters: Sequence[dict[str, Any]],
) -> None:
    """Store the case's parameters: own single/group values or references to shared ones."""
    session.execute(delete(CaseParameter).where(CaseParameter.case_id == case_id))
    shared_uuids = [str(p["shared_id"]) for p in parameters if "shared_id" in p]
    for raw_uuid in shared_uuids:
        try:
            uuid.UUID(raw_uuid)
        except ValueError:
            raise Invalid.field("parameters", f"shared_id {raw_uuid!r} is not a UUID") from None
    shared_ids = (
        shared_parameters.ids_for_uuids(session, project_id, shared_uuids, field="parameters")
        if shared_uuids
        else {}
    )
    seen_titles: set[str] = set()
    for position, raw in enumerate(parameters, start=1):
        field = f"parameters[{position - 1}]"
        if "shared_id" in raw:
            session.add(
                CaseParameter(
                    project_id=project_id,
                    case_id=case_id,
                    position=position,
                    type=_shared_type(session, shared_ids[str(raw["shared_id"])]),
                    shared_parameter_id=shared_ids[str(raw["shared_id"])],
                    items=None,
                )
            )
            continue
        if "items" in raw:
            if not isinstance(raw["items"], list) or len(raw["items"]) < 2:
                raise Invalid.field(f"{field}.items", "a group needs at least 2 parameters")
            items = [_single(item, f"{field}.items[{i}]") for i, item in enumerate(raw["items"])]
            lengths = {len(item["values"]) for item in items}
            if len(lengths) != 1:
                raise Invalid.field(
                    f"{field}.items", "every parameter of a group needs as many values"
                )
            kind = "group"
        else:
            items = [_single(raw, field)]
            kind = "single"
        for item in items:
            if item["title"] in seen_titles:
                raise Invalid.field(field, f"parameter {item['title']!r} is given twice")
            seen_titles.add(item["title"])
        session.add(
            CaseParameter(
                project_id=project_id, case_id=case_id, position=position, type=kind, items=items
            )
        )


def _shared_type(session: Session, shared_parameter_id: int) -> str:
    from testament.models.shared_parameters import SharedParameter

    return str(
        session.scalar(
            select(SharedParameter.type).where(SharedParameter.id == shared_parameter_id)
        )
    )


def parameters_from_params(params: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The deprecated `params` map as single parameters."""
    return [{"title": title, "values": values} for title, values in params.items()]
