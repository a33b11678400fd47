"""The filters of a defect list, typed: read from `GET /defect/{code}`'s query here (FastAPI has
checked the status), and built the same way by the web UI and the query language."""

from __future__ import annotations

from dataclasses import dataclass

from testament.defects.schemas import DefectStatusSlug


@dataclass(frozen=True)
class DefectFilters:
    status: DefectStatusSlug | None = None

    @property
    def any(self) -> bool:
        return self.status is not None

    @classmethod
    def from_query(cls, *, status: DefectStatusSlug | None = None) -> DefectFilters:
        """From the query parameters."""
        return cls(status=status)
