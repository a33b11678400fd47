"""A run's statuses, as stored (the slugs the API speaks) and as v1 numbers and filters."""

from __future__ import annotations

IN_PROGRESS, PASSED, FAILED, ABORTED = "in_progress", "passed", "failed", "aborted"
# Result statuses that make a completed run "failed".
FAILING_STATUSES = ("failed", "blocked", "invalid")

# v1 integer status of a run: 0 active, 1 complete, 2 abort.
V1_STATUS = {IN_PROGRESS: 0, PASSED: 1, FAILED: 1, ABORTED: 2}
STATUS_FILTER_ALIASES = {
    IN_PROGRESS: (IN_PROGRESS,),
    PASSED: (PASSED,),
    FAILED: (FAILED,),
    ABORTED: (ABORTED,),
    "active": (IN_PROGRESS,),
    "complete": (PASSED, FAILED),
    "abort": (ABORTED,),
}
