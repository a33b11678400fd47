"""`/v1/milestone` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/milestone", tags=["milestones"])
