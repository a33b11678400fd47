"""The official `qase-api-client` (PyPI) reads the system fields from a live server."""

from __future__ import annotations

from collections.abc import Callable

from qase.api_client_v1.api.system_fields_api import SystemFieldsApi


def test_get_system_fields(qase_for: Callable[..., object]) -> None:
    listed = SystemFieldsApi(qase_for("viewer")).get_system_fields()
    assert listed.status is True
    fields = {field.slug: field for field in listed.result}
    severity = fields["severity"]
    assert severity.title == "Severity" and severity.entity == 0 and severity.type == 3
    assert severity.default_value == "0" and severity.is_required is False
    assert [(o.id, o.slug) for o in severity.options][:3] == [
        (0, "undefined"),
        (1, "blocker"),
        (2, "critical"),
    ]
    statuses = {o.slug: o.id for o in fields["result_status"].options}
    assert statuses["passed"] == 1 and statuses["skipped"] == 5
    assert all(o.read_only is True and o.color for f in listed.result for o in f.options)
