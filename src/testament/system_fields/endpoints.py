"""`/v1/system_field` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/system_field", tags=["system-fields"])
