"""A run case's status: the status of its newest result, by one rule everywhere.

Newest means the latest `end_time`, and of results that ended at the same moment the one stored
last (the larger id). A result sent without an end time is stored with the time it arrived as
its end (ingestion fills it in), so an in-progress or manual result counts from its arrival; a
row that has none all the same falls back to its `start_time`, then to when it was stored.

Every path that changes a run's results (v1 single and bulk, v2 batches, update, delete) ends
with `settle`, which recomputes the touched cases from the stored results in one statement, so
the order results arrive in, within a request or across concurrent batches, does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from testament.models.results import Result
from testament.models.runs import RunCase

UNTESTED = "untested"
RESULTS = cast(Table, Result.__table__)
RUN_CASES = cast(Table, RunCase.__table__)
# The ordering the rule above defines, newest first.
NEWEST_FIRST = (
    func.coalesce(RESULTS.c.end_time, RESULTS.c.start_time, RESULTS.c.created_at).desc(),
    RESULTS.c.id.desc(),
)


def settle(session: Session, run_id: int, case_ids: Iterable[int]) -> None:
    """Set each of the run's cases `case_ids` to its newest result's status (untested when it
    has none left), in one statement."""
    wanted = sorted(set(case_ids))
    if not wanted:
        return
    # Lock the rows first, in key order, in a statement of their own. In key order: batches
    # locking overlapping cases in their input order deadlock on PostgreSQL. On their own: an
    # UPDATE that waits for another batch's row re-reads the row but not the subquery below,
    # which would miss the results that batch just committed; the next statement sees them.
    session.execute(
        select(RUN_CASES.c.case_id)
        .where(RUN_CASES.c.run_id == run_id, RUN_CASES.c.case_id.in_(wanted))
        .order_by(RUN_CASES.c.case_id)
        .with_for_update()
    ).all()
    newest = (
        select(RESULTS.c.status)
        .where(RESULTS.c.run_id == RUN_CASES.c.run_id, RESULTS.c.case_id == RUN_CASES.c.case_id)
        .order_by(*NEWEST_FIRST)
        .limit(1)
        .scalar_subquery()
    )
    session.execute(
        update(RUN_CASES)
        .where(RUN_CASES.c.run_id == run_id, RUN_CASES.c.case_id.in_(wanted))
        .values(status=func.coalesce(newest, UNTESTED))
    )
