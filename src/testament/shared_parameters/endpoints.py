"""`/v1/shared_parameter` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/shared_parameter", tags=["shared-parameters"])
