"""`/v1/custom_field` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/custom_field", tags=["custom-fields"])
