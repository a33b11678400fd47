"""`/v1/shared_step` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/shared_step", tags=["shared-steps"])
