"""The system field list: what `GET /system_field` and the web UI call."""

from __future__ import annotations

from testament.system_fields.catalog import SYSTEM_FIELDS
from testament.system_fields.schemas import SystemField


def list_system_fields() -> list[SystemField]:
    """Every system field with its options: a fixed catalog, not stored, so not paged."""
    return [SystemField.from_catalog(spec) for spec in SYSTEM_FIELDS]
