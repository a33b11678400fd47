"""`/v1/system_field` routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from testament.access.actor import Actor
from testament.http.deps import require
from testament.kit.envelope import Envelope
from testament.system_fields import listing
from testament.system_fields.schemas import SystemField

router = APIRouter(prefix="/system_field", tags=["system-fields"])

CanReadSystemFields = Annotated[Actor, Depends(require("system_field.read"))]


@router.get("", operation_id="get-system-fields", response_model=Envelope[list[SystemField]])
def get_system_fields(_actor: CanReadSystemFields) -> object:
    """List the system fields with their options (a fixed catalog, not stored)."""
    return Envelope(result=listing.list_system_fields())
