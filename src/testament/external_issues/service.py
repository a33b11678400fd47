"""Links from cases and runs to issues in external trackers (Jira ...): references parsed and
checked, links added, removed or replaced, and read for a page of entities at a time.

The callers (cases and runs) turn the numbers their clients send into ids and record the
change in the audit trail; this module only knows entity ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from testament.kit.errors import Invalid
from testament.models.base import TITLE_LENGTH
from testament.models.external_issues import ExternalIssueLink

Linked = Literal["case", "run"]


@dataclass(frozen=True)
class IssueLink:
    """One linked issue: the tracker (`type`), the issue id, and its URL when given by URL."""

    type: str
    external_id: str
    link: str | None


def parse_issue_reference(reference: str) -> tuple[str, str | None]:
    """`PROJ-1` -> (PROJ-1, None); a URL -> (its last path segment, the URL)."""
    reference = reference.strip()
    parts = urlsplit(reference)
    if parts.scheme in ("http", "https") and parts.netloc:
        return parts.path.rstrip("/").rsplit("/", 1)[-1] or reference, reference
    return reference, None


def check_issue_id_length(field: str, reference: str) -> None:
    """The issue id (the reference, or a URL's last segment) must fit its column (422)."""
    if len(parse_issue_reference(reference)[0]) > TITLE_LENGTH:
        raise Invalid.field(field, f"an issue id is at most {TITLE_LENGTH} characters")


def attach(
    session: Session,
    project_id: int,
    entity: Linked,
    issue_type: str,
    references: Mapping[int, Sequence[str]],
) -> None:
    """Link each entity id to its issue references; an issue linked already is left as it is.
    Two statements for the whole request."""
    existing = {
        (entity_id, external_id)
        for entity_id, external_id in session.execute(
            select(ExternalIssueLink.entity_id, ExternalIssueLink.external_id).where(
                ExternalIssueLink.entity_type == entity,
                ExternalIssueLink.entity_id.in_(list(references)),
                ExternalIssueLink.type == issue_type,
            )
        )
    }
    rows = []
    for entity_id, entity_references in references.items():
        for reference in entity_references:
            external_id, url = parse_issue_reference(reference)
            if (entity_id, external_id) in existing:
                continue
            existing.add((entity_id, external_id))
            rows.append(
                ExternalIssueLink(
                    project_id=project_id,
                    entity_type=entity,
                    entity_id=entity_id,
                    type=issue_type,
                    external_id=external_id,
                    link=url,
                )
            )
    session.add_all(rows)


def detach(
    session: Session, entity: Linked, issue_type: str, references: Mapping[int, Sequence[str]]
) -> None:
    """Unlink each entity id from the issues its references name (unlinked ones are ignored)."""
    pairs = [
        (entity_id, parse_issue_reference(reference)[0])
        for entity_id, entity_references in references.items()
        for reference in entity_references
    ]
    if not pairs:
        return
    session.execute(
        delete(ExternalIssueLink).where(
            ExternalIssueLink.entity_type == entity,
            ExternalIssueLink.type == issue_type,
            tuple_(ExternalIssueLink.entity_id, ExternalIssueLink.external_id).in_(pairs),
        )
    )


def replace_link(
    session: Session,
    project_id: int,
    entity: Linked,
    entity_id: int,
    issue_type: str,
    reference: str | None,
) -> None:
    """The entity's only link becomes `reference` (of any tracker before); None removes it."""
    session.execute(
        delete(ExternalIssueLink).where(
            ExternalIssueLink.entity_type == entity, ExternalIssueLink.entity_id == entity_id
        )
    )
    if reference is not None:
        external_id, url = parse_issue_reference(reference)
        session.add(
            ExternalIssueLink(
                project_id=project_id,
                entity_type=entity,
                entity_id=entity_id,
                type=issue_type,
                external_id=external_id,
                link=url,
            )
        )


def issues_for(
    session: Session, entity: Linked, entity_ids: Collection[int]
) -> dict[int, list[IssueLink]]:
    """Each entity's linked issues, by tracker and then in the order linked (entities without
    any are absent). One query."""
    if not entity_ids:
        return {}
    rows = session.scalars(
        select(ExternalIssueLink)
        .where(
            ExternalIssueLink.entity_type == entity,
            ExternalIssueLink.entity_id.in_(list(entity_ids)),
        )
        .order_by(ExternalIssueLink.type, ExternalIssueLink.id)
    ).all()
    found: dict[int, list[IssueLink]] = defaultdict(list)
    for row in rows:
        found[row.entity_id].append(IssueLink(row.type, row.external_id, row.link))
    return found
