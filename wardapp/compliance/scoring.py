"""Changing how a task is scored, with the before and after in the audit record.

The plan says what each task is and how often; the parameters a reviewer sets turn that into
something countable: the minimum per month or quarter for "Thường xuyên", the deadline, and
which responsible units are scored (leads by default, coordinating units not).
"""

from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Final

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.plans.models import Task


def rule_settings(task: Task) -> dict:
    """The task's scoring parameters, as the audit record keeps them."""
    return {
        "rule": task.rule,
        "min_count": task.min_count,
        "period": task.period,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "scored": sorted(a.unit.code for a in task.assignments if a.scored),
    }


class Keep(Enum):
    KEEP = "keep"


KEEP: Final = Keep.KEEP  # a parameter not given keeps its value (None is a value: it clears)


def update_task_rule(
    actor: User | None,
    task: Task,
    *,
    min_count: int | None | Keep = KEEP,
    period: str | None | Keep = KEEP,
    deadline: date | None | Keep = KEEP,
    scored_unit_ids: Iterable[int] | Keep = KEEP,
) -> bool:
    """Apply what applies to the task's rule; True and audited if anything changed. A
    parameter left out keeps its value (``None`` clears a minimum or a deadline)."""
    before = rule_settings(task)
    if task.rule == "per_period":
        if min_count is not KEEP:
            task.min_count = min_count or None
        if isinstance(period, str) and period in ("month", "quarter"):
            task.period = period
    if task.rule == "deadline" and deadline is not KEEP:
        task.deadline = deadline
    if task.rule != "on_change" and scored_unit_ids is not KEEP:
        wanted = set(scored_unit_ids)
        for assignment in task.assignments:
            assignment.scored = assignment.unit_id in wanted
    after = rule_settings(task)
    if after == before:
        return False
    record(
        actor,
        "task.rule_settings",
        task,
        plan_id=task.plan_id,
        number=task.number,
        before=before,
        after=after,
    )
    db.session.flush()
    return True
