"""`limit`/`offset` checked once, and one way to page a query into `ListResult`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from testament.kit.envelope import ListResult

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_OFFSET = 100_000

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="A number of entities in result set.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="How many entities should be skipped.")
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Page = Annotated[PageParams, Depends(page_params)]


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
    rows: Sequence[Any] = session.scalars(narrowed.limit(page.limit).offset(page.offset)).all()
    entities = to_entities(rows)
    return ListResult[T](
        total=total, filtered=filtered_count, count=len(entities), entities=entities
    )
