"""Changing how a task is scored, with the before and after in the audit record.

The plan says what each task is and how often; the parameters a reviewer sets turn that into
something countable: the minimum per month or quarter for "Thường xuyên", the deadline, and
which responsible units are scored (leads by default, coordinating units not).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final

from sqlalchemy import select

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.plans.models import Task, TaskUnit
from wardapp.units.models import Unit

# Who is scored, as a rule and its exceptions: "lead" scores the leads, "all" every unit with
# a part, "none" no unit; a unit listed as an exception is treated the other way.
SCORED_MODES = ("lead", "all", "none")


@dataclass(frozen=True, slots=True)
class PartRow:
    """An active unit's part in a task, as the settings page shows it."""

    unit_id: int
    code: str
    short_name: str
    lead: bool
    scored: bool


def parts_of_tasks(task_ids: Iterable[int]) -> dict[int, list[PartRow]]:
    """Each task's parts held by active units, leads first, as plain rows: a national plan
    has 33,000 of them, which the page counts and lists, never loads as objects."""
    ids = list(task_ids)
    found: dict[int, list[PartRow]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        select(
            TaskUnit.task_id,
            TaskUnit.unit_id,
            Unit.code,
            Unit.short_name,
            TaskUnit.role,
            TaskUnit.scored,
        )
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(ids), Unit.active.is_(True))
        .order_by(TaskUnit.task_id, TaskUnit.role != "lead", TaskUnit.unit_id)
    )
    for task_id, unit_id, code, short_name, role, scored in rows:
        found[task_id].append(PartRow(unit_id, code, short_name, role == "lead", bool(scored)))
    return found


def _base(parts: list[PartRow], mode: str) -> set[int]:
    if mode == "all":
        return {p.unit_id for p in parts}
    if mode == "lead":
        return {p.unit_id for p in parts if p.lead}
    return set()


def scored_by_rule(parts: list[PartRow], mode: str, exceptions: Iterable[int]) -> set[int]:
    """The units scored under ``mode`` with ``exceptions`` treated the other way."""
    return _base(parts, mode) ^ set(exceptions)


@dataclass(frozen=True, slots=True)
class WhoIsScored:
    """How many leads and coordinating units are scored, and the shortest way to say who:
    the rule with the fewest exceptions."""

    leads: int
    leads_scored: int
    partners: int
    partners_scored: int
    mode: str
    exceptions: list[str]  # unit codes


def who_is_scored(parts: list[PartRow]) -> WhoIsScored:
    scored = {p.unit_id for p in parts if p.scored}
    code = {p.unit_id: p.code for p in parts}
    mode = min(SCORED_MODES, key=lambda m: len(_base(parts, m) ^ scored))
    leads = [p for p in parts if p.lead]
    partners = [p for p in parts if not p.lead]
    return WhoIsScored(
        leads=len(leads),
        leads_scored=sum(p.scored for p in leads),
        partners=len(partners),
        partners_scored=sum(p.scored for p in partners),
        mode=mode,
        exceptions=sorted(code[u] for u in _base(parts, mode) ^ scored),
    )


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
