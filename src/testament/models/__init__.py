"""Every table, one module per aggregate, registered on one metadata. Import models from their
modules (`from testament.models.cases import Case`).

Conventions throughout:
- Ids in the API (`case 12`, `suite 3`) are `number`, per project; every foreign key is the
  global `id`.
- Every project's table carries `project_id` (ProjectScopedMixin), link tables included, so a
  project's rows can later be distributed together.
- Generic link tables (`custom_field_values`, `attachment_links`, `external_issue_links`) point
  at rows of several tables through (`entity_type`, `entity_id`), where `entity_id` is that row's
  global `id`. They carry no foreign key to the entity, so the service that deletes an entity
  deletes its links in the same transaction.
- Enum-like values are plain SmallInteger or String columns; their values are listed beside
  them. Statuses are stored as the slugs the API speaks (`passed`, `open` ...); the v1 integer
  `Run.status` is derived from the slug. Step statuses are the exception: small integers in the
  v1 codes, since step rows are the most numerous.
"""

from testament.models import (
    attachments,
    cases,
    configurations,
    custom_fields,
    defects,
    environments,
    external_issues,
    identity,
    instance,
    milestones,
    plans,
    project,
    results,
    reviews,
    runs,
    shared_parameters,
    shared_steps,
    suites,
    tags,
)
from testament.models.base import Base

__all__ = [
    "Base",
    "attachments",
    "cases",
    "configurations",
    "custom_fields",
    "defects",
    "environments",
    "external_issues",
    "identity",
    "instance",
    "milestones",
    "plans",
    "project",
    "results",
    "reviews",
    "runs",
    "shared_parameters",
    "shared_steps",
    "suites",
    "tags",
]
