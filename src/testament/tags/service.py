"""Tags: a project's tag titles, created in bulk as they are first used, and their links to
cases, runs and defects (replaced as a whole, read for a page at a time)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from testament.kit.concurrency import insert_or_ignore
from testament.models.tags import CaseTag, DefectTag, RunTag, Tag

Tagged = Literal["case", "run", "defect"]
_LINKS: dict[Tagged, tuple[type[CaseTag | RunTag | DefectTag], str]] = {
    "case": (CaseTag, "case_id"),
    "run": (RunTag, "run_id"),
    "defect": (DefectTag, "defect_id"),
}


def ensure_tags(session: Session, project_id: int, titles: Collection[str]) -> dict[str, int]:
    """Tag ids by title, creating the tags the project does not have yet (a tag a concurrent
    request created first is used as it is)."""
    wanted = list(titles)
    missing = set(wanted) - set(
        session.scalars(
            select(Tag.title).where(Tag.project_id == project_id, Tag.title.in_(wanted))
        )
    )
    if missing:
        session.execute(
            insert_or_ignore(session, Tag),
            [{"project_id": project_id, "title": title} for title in sorted(missing)],
        )
    return dict(
        session.execute(
            select(Tag.title, Tag.id).where(Tag.project_id == project_id, Tag.title.in_(wanted))
        ).all()
    )


def _owner(entity: Tagged) -> tuple[type[CaseTag | RunTag | DefectTag], InstrumentedAttribute[int]]:
    model, column = _LINKS[entity]
    owner: InstrumentedAttribute[int] = getattr(model, column)
    return model, owner


def replace_tags(
    session: Session, project_id: int, entity: Tagged, entity_id: int, titles: Sequence[str]
) -> None:
    """The entity's tags become `titles` (checked and without repeats), creating missing tags."""
    model, owner = _owner(entity)
    session.execute(delete(model).where(owner == entity_id))
    if not titles:
        return
    ids = ensure_tags(session, project_id, titles)
    session.execute(
        insert(model),
        [
            {"project_id": project_id, owner.key: entity_id, "tag_id": ids[title]}
            for title in titles
        ],
    )


def delete_links(session: Session, entity: Tagged, entity_ids: Collection[int]) -> None:
    """Remove the entities' tag links (the tags stay in the project)."""
    model, owner = _owner(entity)
    if entity_ids:
        session.execute(delete(model).where(owner.in_(list(entity_ids))))


def tags_for(
    session: Session, entity: Tagged, entity_ids: Collection[int]
) -> dict[int, list[tuple[int, str]]]:
    """`(tag id, title)` of each entity's tags, by title; entities without tags are absent."""
    if not entity_ids:
        return {}
    model, owner = _owner(entity)
    rows = session.execute(
        select(owner, Tag.id, Tag.title)
        .join(Tag, Tag.id == model.tag_id)
        .where(owner.in_(list(entity_ids)))
        .order_by(Tag.title)
    ).all()
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for entity_id, tag_id, title in rows:
        found[entity_id].append((tag_id, title))
    return found
