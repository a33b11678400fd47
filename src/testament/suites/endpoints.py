"""`/v1/suite` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/suite", tags=["suites"])
