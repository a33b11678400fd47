"""`/v2/{project_code}/run/{run_id}/result(s)` routes: what the official reporters send."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["results"])
