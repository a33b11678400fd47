"""`/v1/case` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/case", tags=["cases"])
