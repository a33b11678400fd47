"""`/v1/attachment` routes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/attachment", tags=["attachments"])
