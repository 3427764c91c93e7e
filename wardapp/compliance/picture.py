"""The compliance picture of a plan for a period: every task × responsible unit, judged.

``compliance_for`` is what the dashboard, the unit page, the officer's home and every export
read, so a number is the same wherever it is shown. It runs a fixed handful of queries (the
tasks with their units, one aggregate count, the accepted explanations, the last urges)
whatever the number of units, tasks or items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wardapp.compliance import explained
from wardapp.compliance.counting import between_days, count_picture, counted
from wardapp.compliance.rules import Cell, Expectation, expectation_for, judge
from wardapp.compliance.tally import Tally
from wardapp.core.gc_pause import gc_paused
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
    tallies: Mapping[tuple[int, int], Tally] = field(default_factory=dict)
    urges: dict[tuple[int, int], UrgeMark] = field(default_factory=dict)
    weekly: dict[int, dict[date, int]] = field(default_factory=dict)  # task → Monday → approved

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
        """Accepted items per ISO week of the period, over the picture's units. ``unit_id``
        names the picture's one unit (the unit page); the counts are made for the picture's
        units together, a few dozen rows however many units it has."""
        if unit_id is not None and any(u.id != unit_id for u in self.units):
            raise ValueError("weekly counts of one unit need a picture of that unit alone")
        counts = self.weekly.get(task_id, {})
        return [(week, counts.get(week.monday, 0)) for week in self.period.weeks()]


def all_unit_ids(session: Session | None = None) -> list[int]:
    return list((session or db.session).scalars(select(Unit.id)))


class Part(NamedTuple):
    """One unit's part in one task, as plain values: a national plan has 33,000."""

    task_id: int
    unit_id: int
    role: str
    scored: bool


def responsible(
    plan: Plan,
    unit_ids: list[int] | None = None,
    session: Session | None = None,
    period: Period | None = None,
) -> tuple[list[Task], list[Unit]]:
    """The plan's tasks and the units that have a part: those that existed in ``period`` (a
    merge leaves the units before it in the periods before it), or the active ones when no
    period is given."""
    tasks, units, _ = responsible_parts(plan, unit_ids, session, period)
    return tasks, units


def responsible_parts(
    plan: Plan,
    unit_ids: list[int] | None = None,
    session: Session | None = None,
    period: Period | None = None,
) -> tuple[list[Task], list[Unit], list[Part]]:
    """As ``responsible``, with every part of those units in those tasks. The parts are read
    as rows and the units once each, not as 33,000 assignment objects (a task's
    ``assignments`` still load when something asks for them)."""
    reader = session or db.session
    tasks = list(
        reader.scalars(
            select(Task)
            .where(Task.plan_id == plan.id, Task.retired.is_(False))
            .order_by(Task.number)
        )
    )
    if not tasks:
        return tasks, [], []
    assigned = select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role, TaskUnit.scored).where(
        TaskUnit.task_id.in_([t.id for t in tasks])
    )
    if unit_ids is not None:
        assigned = assigned.where(TaskUnit.unit_id.in_(unit_ids))
    parts = [Part(*row) for row in reader.execute(assigned)]
    candidates = reader.scalars(
        select(Unit).where(Unit.id.in_(select(assigned.subquery().c.unit_id)))
    )
    units = {
        u.id: u
        for u in candidates
        if (u.exists_during(period.start, period.end) if period else u.active)
    }
    number = {t.id: t.number for t in tasks}
    parts = sorted((p for p in parts if p.unit_id in units), key=lambda p: (number[p.task_id],))
    ordered = sorted(units.values(), key=lambda u: (KIND_ORDER.get(u.kind, 9), u.id))
    return tasks, ordered, parts


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
    with gc_paused():  # a national picture is 200,000 objects: see core.gc_pause
        return _compliance_for(plan, period, as_of, unit_ids, tz or city_tz(), session)


def _compliance_for(
    plan: Plan,
    period: Period,
    as_of: date | None,
    unit_ids: list[int] | None,
    tz: tzinfo,
    session: Session | None,
) -> Picture:
    tasks, units, parts = responsible_parts(plan, unit_ids, session, period)
    shown = {u.id for u in units}
    expectations = {t.id: expectation_for(t, period) for t in tasks}
    spans = {t: [e.window, *((s.start, s.end) for s in e.slots)] for t, e in expectations.items()}
    # Every unit's when the viewer sees them all: the list of 3,321 ids would only slow it.
    counted_units = None if unit_ids is None else sorted(shown)
    task_ids = [t.id for t in tasks]
    weeks = [(w.monday, w.sunday) for w in period.weeks()]
    # By every unit but those left out of the period (merged away, deactivated): a few.
    hidden = [] if unit_ids is not None else sorted(set(all_unit_ids(session)) - shown)
    tallies, weekly = count_picture(
        task_ids, counted_units, spans, weeks, tz, session, excluded=hidden
    )
    tallies = {key: tally for key, tally in tallies.items() if key[1] in shown}
    days = [d for task_spans in spans.values() for span in task_spans for d in span]
    first, last = min(days, default=period.start), max(days, default=period.end)
    accepted = accepted_for(task_ids, counted_units, first, last, session)
    empty = Tally()
    cells = {}
    for part in parts:
        key = (part.task_id, part.unit_id)
        judged = judge(
            Cell(part.task_id, part.unit_id, part.role, part.scored),
            expectations[part.task_id],
            tallies.get(key, empty),
            as_of,
        )
        cells[key] = explained.apply(judged, accepted.get(key, []))
    marks = latest_urges(plan.id, counted_units, period.start, period.end, session)
    urges = {}
    for task_id, unit_id in cells:
        found = [m for m in (marks.get((task_id, unit_id)), marks.get((None, unit_id))) if m]
        if found:
            urges[(task_id, unit_id)] = max(found, key=lambda m: m.at)
    return Picture(plan, period, as_of, tasks, units, cells, expectations, tallies, urges, weekly)


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
