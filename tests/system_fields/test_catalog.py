"""`system_fields.catalog`: what cases (and results) call to turn ids and slugs into each other."""

from __future__ import annotations

import pytest

from testament.kit.errors import Invalid
from testament.models.cases import Case
from testament.system_fields.catalog import (
    SYSTEM_FIELDS,
    default_option,
    option_slug,
    resolve_option,
    system_field,
)

CASE_FIELDS = (
    "severity",
    "priority",
    "type",
    "behavior",
    "layer",
    "is_flaky",
    "status",
    "automation",
)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("severity", "critical", 2),
        ("severity", "CRITICAL", 2),
        ("severity", 2, 2),
        ("severity", "2", 2),
        ("severity", " 6 ", 6),
        ("severity", "undefined", 0),
        ("priority", "high", 1),
        ("priority", 0, 0),
        ("type", "exploratory", 11),
        ("behavior", "destructive", 4),
        ("layer", "E2E", 1),
        ("is_flaky", "yes", 1),
        ("is_flaky", True, 1),
        ("status", "deprecated", 2),
        ("automation", "to-be-automated", 1),
        ("automation", "is-not-automated", 0),
        ("result_status", "in_progress", 7),
    ],
)
def test_resolve_option(field: str, value: int | str, expected: int) -> None:
    assert resolve_option(field, value) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", 7),
        ("severity", "7"),
        ("severity", -1),
        ("severity", "-1"),
        ("severity", "urgent"),
        ("severity", ""),
        ("type", 0),
        ("behavior", 0),
        ("automation", "manual"),
        ("priority", "²"),
    ],
)
def test_unknown_values_are_422_listing_the_allowed_ones(field: str, value: int | str) -> None:
    with pytest.raises(Invalid) as raised:
        resolve_option(field, value)
    assert raised.value.status_code == 422
    [error] = raised.value.fields
    assert error.field == field
    assert "Allowed values" in error.error
    assert all(option.slug in error.error for option in system_field(field).options)


def test_option_slug_round_trips() -> None:
    for field in SYSTEM_FIELDS:
        for option in field.options:
            assert option_slug(field.slug, option.id) == option.slug
            assert resolve_option(field.slug, option.slug) == option.id
    with pytest.raises(ValueError):
        option_slug("severity", 99)


def test_defaults_match_the_case_columns() -> None:
    """A case made without these fields holds the catalog's default option."""
    columns = Case.__table__.c
    for field in CASE_FIELDS:
        assert default_option(field) == columns[field].default.arg, field


def test_an_unknown_field_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        resolve_option("colour", "red")
