"""`limit`/`offset` checked once, and one way to page a query into `ListResult`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from testament.kit.envelope import ListResult
from testament.kit.errors import BadRequest

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_OFFSET = 100_000

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def count_rows(session: Session, statement: Select[Any]) -> int:
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


def paginate(
    session: Session,
    *,
    scope: Select[Any],
    filtered: Select[Any] | None,
    page: PageParams,
    to_entities: Callable[[Sequence[Any]], list[T]],
) -> ListResult[T]:
    """Page `filtered` (or `scope` when no filter applies); `scope` gives the unfiltered total.

    `to_entities` turns a page of rows into API models at once, so it can batch its lookups.
    """
    total = count_rows(session, scope)
    narrowed = scope if filtered is None else filtered
    filtered_count = total if filtered is None else count_rows(session, filtered)
    entities = to_entities(page_rows(session, narrowed, page))
    return ListResult[T](
        total=total, filtered=filtered_count, count=len(entities), entities=entities
    )


def page_rows(session: Session, statement: Select[Any], page: PageParams) -> Sequence[Any]:
    """One page of rows. For a query of one ORM entity, the page's ids come first (an index-only
    scan, however deep the offset), then the rows behind just those ids."""
    described = statement.column_descriptions
    entity = described[0].get("entity") if len(described) == 1 else None
    if entity is None or described[0].get("expr") is not entity or not hasattr(entity, "id"):
        return session.scalars(statement.limit(page.limit).offset(page.offset)).all()
    ids = session.scalars(
        statement.with_only_columns(entity.id).limit(page.limit).offset(page.offset)
    ).all()
    if not ids:
        return []
    by_id = {row.id: row for row in session.scalars(select(entity).where(entity.id.in_(ids)))}
    return [by_id[row_id] for row_id in ids if row_id in by_id]


def parse_include(include: str | None, allowed: frozenset[str]) -> set[str]:
    """The `include` parameter (a comma list of related entities); 400 for names not allowed."""
    parts = {part.strip() for part in (include or "").split(",") if part.strip()}
    unknown = parts - allowed
    if unknown:
        raise BadRequest.parameter(
            "include", f"unknown value(s) {sorted(unknown)}; possible: {sorted(allowed)}"
        )
    return parts
