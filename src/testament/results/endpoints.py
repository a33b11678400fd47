"""`/v1/result` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/result", tags=["results"])
