"""The filters of a defect list, typed: read from `GET /defect/{code}`'s query here (FastAPI has
checked the status), and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass

from testament.defects.schemas import DefectStatusSlug
from testament.kit.filters import ListFilters


@dataclass(frozen=True)
class DefectFilters(ListFilters):
    status: DefectStatusSlug | None = None

    @classmethod
    def from_query(cls, *, status: DefectStatusSlug | None = None) -> DefectFilters:
        """From the query parameters."""
        return cls(status=status)
