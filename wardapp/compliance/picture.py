"""The compliance picture of a plan for a period: every task × responsible unit, judged.

``compliance_for`` is what the dashboard, the unit page, the officer's home and every export
read, so a number is the same wherever it is shown. It runs a fixed handful of queries (the
tasks with their units, one aggregate count, the accepted explanations, the last urges)
whatever the number of units, tasks or items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wardapp.compliance import explained
from wardapp.compliance.counting import between_days, count_evidence, counted
from wardapp.compliance.rules import Cell, Expectation, Tally, expectation_for, judge
from wardapp.core.i18n import city_tz
from wardapp.core.periods import Period, Week
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.followup.services import UrgeMark, accepted_for, latest_urges
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

KIND_ORDER = {"ward": 0, "commune": 1, "agency": 2}


@dataclass
class Picture:
    """The matrix for one plan and period, for the units the viewer may see."""

    plan: Plan
    period: Period
    as_of: date | None
    tasks: list[Task]
    units: list[Unit]
    cells: dict[tuple[int, int], Cell]
    expectations: dict[int, Expectation]
    tallies: dict[tuple[int, int], Tally] = field(default_factory=dict)
    urges: dict[tuple[int, int], UrgeMark] = field(default_factory=dict)

    @property
    def counted_to(self) -> date:
        """The last day the picture counts: today while the period runs, else its end."""
        return min(self.as_of, self.period.end) if self.as_of else self.period.end

    def cell(self, task_id: int, unit_id: int) -> Cell | None:
        return self.cells.get((task_id, unit_id))

    def rows(self) -> list[tuple[Unit, list[Cell | None]]]:
        """Unit by unit, the cells in task order (None where the unit has no part)."""
        return [(u, [self.cells.get((t.id, u.id)) for t in self.tasks]) for u in self.units]

    def count(self, verdict: str, unit_id: int | None = None) -> int:
        return sum(
            1 for c in self.cells.values() if c.verdict == verdict and unit_id in (None, c.unit_id)
        )

    def urged(self, task_id: int, unit_id: int) -> UrgeMark | None:
        """When and by whom the unit was last urged about the task (or the period), if ever."""
        return self.urges.get((task_id, unit_id))

    def urged_at(self, task_id: int, unit_id: int) -> datetime | None:
        mark = self.urged(task_id, unit_id)
        return mark.at if mark else None

    def explanations(self) -> list[tuple[Unit, Task, Any]]:
        """Every accepted explanation the picture's cells met, unit by unit, in task order."""
        seen, found = set(), []
        for unit, cells in self.rows():
            for task, cell in zip(self.tasks, cells, strict=True):
                for x in cell.explanations if cell else ():
                    if x.id not in seen:
                        seen.add(x.id)
                        found.append((unit, task, x))
        return found

    def weekly_accepted(self, task_id: int, unit_id: int | None = None) -> list[tuple[Week, int]]:
        """Accepted items per ISO week of the period, over the picture's units (or one)."""
        totals = dict.fromkeys(self.period.weeks(), 0)
        weeks: dict[date, Week] = {}
        for (t_id, u_id), counts in self.tallies.items():
            if t_id != task_id or unit_id not in (None, u_id):
                continue
            for (day, status), n in counts.counts.items():
                week = weeks.get(day) or weeks.setdefault(day, Week.of(day))
                if status == "approved" and week in totals:
                    totals[week] += n
        return list(totals.items())


def responsible(
    plan: Plan,
    unit_ids: list[int] | None = None,
    session: Session | None = None,
    period: Period | None = None,
) -> tuple[list[Task], list[Unit]]:
    """The plan's tasks (with their assignments) and the units that have a part: those that
    existed in ``period`` (a merge leaves the units before it in the periods before it), or
    the active ones when no period is given."""
    tasks = list(
        (session or db.session).scalars(
            select(Task)
            .where(Task.plan_id == plan.id, Task.retired.is_(False))
            .order_by(Task.number)
            .options(selectinload(Task.assignments).selectinload(TaskUnit.unit))
        )
    )
    units = {
        a.unit.id: a.unit
        for t in tasks
        for a in t.assignments
        if (a.unit.exists_during(period.start, period.end) if period else a.unit.active)
        and (unit_ids is None or a.unit.id in unit_ids)
    }
    return tasks, sorted(units.values(), key=lambda u: (KIND_ORDER.get(u.kind, 9), u.id))


def compliance_for(
    plan: Plan,
    period: Period,
    *,
    as_of: date | None = None,
    unit_ids: list[int] | None = None,
    tz: tzinfo | None = None,
    session: Session | None = None,
) -> Picture:
    """Judge every task × responsible active unit of the plan in the period.

    ``unit_ids`` limits the picture to the units a viewer may see; ``as_of`` (today) leaves
    out what is not due yet (see ``rules``). Units that did not exist in the period (merged
    before it, or formed after it) and units deactivated by hand are left out.
    ``session`` defaults to the request's; a streamed export passes its own.
    """
    tz = tz or city_tz()
    tasks, units = responsible(plan, unit_ids, session, period)
    shown = {u.id for u in units}
    expectations = {t.id: expectation_for(t, period) for t in tasks}
    spans = [e.window for e in expectations.values()]
    spans += [(s.start, s.end) for e in expectations.values() for s in e.slots]
    spans += [(w.monday, w.sunday) for w in period.weeks()]  # for the weekly chart
    tallies = count_evidence([t.id for t in tasks], sorted(shown), spans, tz, session)
    first = min((s[0] for s in spans), default=period.start)
    last = max((s[1] for s in spans), default=period.end)
    accepted = accepted_for([t.id for t in tasks], sorted(shown), first, last, session)
    cells = {}
    for task in tasks:
        for a in task.assignments:
            if a.unit_id not in shown:
                continue
            cell = Cell(task.id, a.unit_id, a.role, a.scored)
            judged = judge(
                cell, expectations[task.id], tallies.get((task.id, a.unit_id), Tally()), as_of
            )
            cells[(task.id, a.unit_id)] = explained.apply(
                judged, accepted.get((task.id, a.unit_id), [])
            )
    marks = latest_urges(plan.id, sorted(shown), period.start, period.end, session)
    urges = {}
    for task_id, unit_id in cells:
        found = [m for m in (marks.get((task_id, unit_id)), marks.get((None, unit_id))) if m]
        if found:
            urges[(task_id, unit_id)] = max(found, key=lambda m: m.at)
    return Picture(plan, period, as_of, tasks, units, cells, expectations, tallies, urges)


def evidence_behind(
    task: Task,
    unit_id: int,
    period: Period,
    *,
    tz: tzinfo | None = None,
    statuses: Sequence[str] | None = None,
) -> list[Evidence]:
    """The items a cell counted (accepted, waiting and sent back), by when the work happened."""
    start, end = expectation_for(task, period).window
    query = select(Evidence).where(
        Evidence.task_id == task.id,
        Evidence.unit_id == unit_id,
        between_days(start, end, tz or city_tz()),
    )
    query = counted(query, statuses) if statuses else counted(query)
    return list(
        db.session.scalars(
            query.order_by(Evidence.occurred_at, Evidence.id).options(selectinload(Evidence.media))
        )
    )
