"""The system fields and their options: the one authority for the case enums and result statuses.

Cases store the option ids below in integer columns; the API answers them as integers and the
list filters take slugs. The ids follow Qase: where the contract states them (`automation`:
0 manual, 1 to-be-automated, 2 automated; step statuses: 1 passed, 2 failed, 3 blocked,
5 skipped, 7 in_progress) they are taken from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from testament.kit.errors import Invalid

# `SystemField.entity` uses the custom field entity ids (0 case, 1 run, 2 defect) and `type`
# the custom field type ids (3 selectbox, 5 radio).
ENTITY_CASE = 0
ENTITY_RUN = 1
TYPE_SELECTBOX = 3
TYPE_RADIO = 5


@dataclass(frozen=True)
class Option:
    id: int
    title: str
    slug: str
    color: str
    icon: str
    is_default: bool = False
    read_only: bool = True


@dataclass(frozen=True)
class SystemField:
    slug: str
    title: str
    entity: int
    type: int
    is_required: bool
    options: tuple[Option, ...]

    @property
    def default(self) -> Option:
        return next(option for option in self.options if option.is_default)


GREY = "#a0aec0"

SEVERITY = SystemField(
    "severity",
    "Severity",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(0, "Not set", "undefined", GREY, "circle", is_default=True),
        Option(1, "Blocker", "blocker", "#e53e3e", "ban"),
        Option(2, "Critical", "critical", "#dd6b20", "exclamation-triangle"),
        Option(3, "Major", "major", "#d69e2e", "arrow-up"),
        Option(4, "Normal", "normal", "#3182ce", "minus"),
        Option(5, "Minor", "minor", "#38a169", "arrow-down"),
        Option(6, "Trivial", "trivial", "#718096", "angle-double-down"),
    ),
)
PRIORITY = SystemField(
    "priority",
    "Priority",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(0, "Not set", "undefined", GREY, "circle", is_default=True),
        Option(1, "High", "high", "#e53e3e", "arrow-up"),
        Option(2, "Medium", "medium", "#d69e2e", "minus"),
        Option(3, "Low", "low", "#38a169", "arrow-down"),
    ),
)
TYPE = SystemField(
    "type",
    "Type",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(1, "Other", "other", GREY, "circle", is_default=True),
        Option(2, "Functional", "functional", "#3182ce", "cogs"),
        Option(3, "Smoke", "smoke", "#718096", "fire"),
        Option(4, "Regression", "regression", "#805ad5", "redo"),
        Option(5, "Security", "security", "#e53e3e", "shield-alt"),
        Option(6, "Usability", "usability", "#38a169", "hand-pointer"),
        Option(7, "Performance", "performance", "#dd6b20", "tachometer-alt"),
        Option(8, "Acceptance", "acceptance", "#319795", "check-double"),
        Option(9, "Compatibility", "compatibility", "#d69e2e", "puzzle-piece"),
        Option(10, "Integration", "integration", "#2b6cb0", "project-diagram"),
        Option(11, "Exploratory", "exploratory", "#b83280", "compass"),
    ),
)
BEHAVIOR = SystemField(
    "behavior",
    "Behavior",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(1, "Not set", "undefined", GREY, "circle", is_default=True),
        Option(2, "Positive", "positive", "#38a169", "plus"),
        Option(3, "Negative", "negative", "#e53e3e", "minus"),
        Option(4, "Destructive", "destructive", "#dd6b20", "bomb"),
    ),
)
LAYER = SystemField(
    "layer",
    "Layer",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(0, "Unknown", "unknown", GREY, "circle", is_default=True),
        Option(1, "E2E", "e2e", "#805ad5", "desktop"),
        Option(2, "API", "api", "#3182ce", "plug"),
        Option(3, "Unit", "unit", "#38a169", "cube"),
    ),
)
IS_FLAKY = SystemField(
    "is_flaky",
    "Is flaky",
    ENTITY_CASE,
    TYPE_RADIO,
    False,
    (
        Option(0, "No", "no", GREY, "check", is_default=True),
        Option(1, "Yes", "yes", "#dd6b20", "random"),
    ),
)
STATUS = SystemField(
    "status",
    "Status",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(0, "Actual", "actual", "#38a169", "check-circle", is_default=True),
        Option(1, "Draft", "draft", "#d69e2e", "pencil-alt"),
        Option(2, "Deprecated", "deprecated", "#718096", "archive"),
    ),
)
AUTOMATION = SystemField(
    "automation",
    "Automation status",
    ENTITY_CASE,
    TYPE_SELECTBOX,
    False,
    (
        Option(0, "Not automated", "is-not-automated", GREY, "user", is_default=True),
        Option(1, "To be automated", "to-be-automated", "#d69e2e", "hourglass-half"),
        Option(2, "Automated", "automated", "#38a169", "robot"),
    ),
)
RESULT_STATUS = SystemField(
    "result_status",
    "Result status",
    ENTITY_RUN,
    TYPE_SELECTBOX,
    True,
    (
        Option(1, "Passed", "passed", "#38a169", "check", is_default=True),
        Option(2, "Failed", "failed", "#e53e3e", "times"),
        Option(3, "Blocked", "blocked", "#d69e2e", "ban"),
        Option(4, "Invalid", "invalid", "#805ad5", "exclamation"),
        Option(5, "Skipped", "skipped", "#718096", "forward"),
        Option(7, "In progress", "in_progress", "#3182ce", "spinner"),
    ),
)

SYSTEM_FIELDS: tuple[SystemField, ...] = (
    SEVERITY,
    PRIORITY,
    TYPE,
    BEHAVIOR,
    LAYER,
    IS_FLAKY,
    STATUS,
    AUTOMATION,
    RESULT_STATUS,
)
BY_SLUG: dict[str, SystemField] = {field.slug: field for field in SYSTEM_FIELDS}


def system_field(field: str) -> SystemField:
    """The field named `field` (a case field name, or `result_status`); KeyError if none."""
    return BY_SLUG[field]


def _allowed(spec: SystemField) -> str:
    listed = ", ".join(f"{option.id} ({option.slug})" for option in spec.options)
    return f"Allowed values: {listed}."


def resolve_option(field: str, value: int | str) -> int:
    """The option id for `value`: an id (int or digit string) or a slug, case-insensitive."""
    spec = system_field(field)
    if isinstance(value, int):
        wanted: int | None = int(value)
        text = str(value)
    else:
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        wanted = int(text) if digits.isascii() and digits.isdigit() else None
    for option in spec.options:
        if option.id == wanted or (wanted is None and option.slug == text.lower()):
            return option.id
    raise Invalid.field(field, f"Unknown {field} {text!r}. {_allowed(spec)}")


def option_slug(field: str, option_id: int) -> str:
    """The slug of option `option_id` of `field`; ValueError for an id the catalog lacks."""
    for option in system_field(field).options:
        if option.id == option_id:
            return option.slug
    raise ValueError(f"{field} has no option {option_id}")


def default_option(field: str) -> int:
    """The id of the option new entities get when `field` is not given."""
    return system_field(field).default.id
