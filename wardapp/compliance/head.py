"""The head's home: "how are we doing" this quarter, unit by unit, against the quarter before.

The quarter is the one the home page shows (today's, or the plan's nearest, said aloud by
``plans.periods``); the one before is the previous quarter of the same plan year, if any. A
unit's completion is its scored cells met over its scored cells (cells not counted in the
period are left out); the ranking is by completion, then by cells met. Units behind are those
with a task not met. Two pictures (``compliance_for``) and one count: a fixed cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func

from wardapp.compliance.picture import Picture, compliance_for
from wardapp.core.periods import Period
from wardapp.evidence.models import Evidence
from wardapp.evidence.permissions import visible
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task
from wardapp.plans.periods import PlanView, view_for
from wardapp.units.models import Unit

RANKED_SHOWN = 40


@dataclass
class UnitStanding:
    unit: Unit
    met: int
    scored: int
    behind: list[Task] = field(default_factory=list)  # tasks not met
    before: float | None = None  # completion in the quarter before, if scored then

    @property
    def completion(self) -> float | None:
        return self.met / self.scored if self.scored else None

    @property
    def change(self) -> float | None:
        """Percentage points since the quarter before."""
        if self.completion is None or self.before is None:
            return None
        return round((self.completion - self.before) * 100)


@dataclass
class HeadSummary:
    view: PlanView
    previous: Period | None
    waiting: int
    oldest_waiting: datetime | None
    standings: list[UnitStanding]  # ranked
    unranked: list[Unit]  # nothing scored in the quarter
    overall: float | None
    overall_before: float | None

    @property
    def behind(self) -> list[UnitStanding]:
        return [s for s in self.standings if s.behind]

    def ranked_rows(self) -> list[tuple[int, UnitStanding] | int]:
        """(rank, standing) for the table; past ``RANKED_SHOWN`` units, the first and the
        last half of that many, with the number of units between them in place of the rest
        (a province's 100 or the country's 3,321 are in the matrix)."""
        ranked = list(enumerate(self.standings, start=1))
        if len(ranked) <= RANKED_SHOWN:
            return list(ranked)
        half = RANKED_SHOWN // 2
        return [*ranked[:half], len(ranked) - 2 * half, *ranked[-half:]]

    @property
    def unranked_shown(self) -> list[Unit]:
        return self.unranked[:RANKED_SHOWN]

    @property
    def overall_change(self) -> int | None:
        if self.overall is None or self.overall_before is None:
            return None
        return round((self.overall - self.overall_before) * 100)


def _scored(picture: Picture) -> dict[int, tuple[int, int]]:
    """unit id → (cells met, cells scored)."""
    found: dict[int, tuple[int, int]] = {}
    for cell in picture.cells.values():
        if cell.verdict == "unscored":
            continue
        met, scored = found.get(cell.unit_id, (0, 0))
        found[cell.unit_id] = (met + (cell.verdict == "met"), scored + 1)
    return found


def _overall(scored: dict[int, tuple[int, int]]) -> float | None:
    total = sum(s for _m, s in scored.values())
    return sum(m for m, _s in scored.values()) / total if total else None


def head_summary(plan: Plan, user, today: date) -> HeadSummary:
    view = view_for(plan.year, today)
    period = view.period
    unit_ids = user.seen_unit_ids
    picture = compliance_for(plan, period, as_of=today, unit_ids=unit_ids)
    previous = Period.quarter(plan.year, period.number - 1) if period.number > 1 else None
    before = (
        _scored(compliance_for(plan, previous, as_of=today, unit_ids=unit_ids)) if previous else {}
    )
    now = _scored(picture)
    tasks = {t.id: t for t in picture.tasks}
    unmet: dict[int, list[Task]] = {}  # one pass over the cells: a nation has 33,000
    for cell in picture.cells.values():
        if cell.verdict == "unmet":
            unmet.setdefault(cell.unit_id, []).append(tasks[cell.task_id])
    standings, unranked = [], []
    for unit in picture.units:
        if unit.id not in now:
            unranked.append(unit)
            continue
        met, scored = now[unit.id]
        was = before.get(unit.id)
        behind = sorted(unmet.get(unit.id, []), key=lambda t: t.number)
        standings.append(UnitStanding(unit, met, scored, behind, was[0] / was[1] if was else None))
    standings.sort(key=lambda s: (-(s.completion or 0), -s.met, s.unit.short_name))
    waiting, oldest = db.session.execute(
        visible(user, db.select(func.count(Evidence.id), func.min(Evidence.created_at))).where(
            Evidence.status == "submitted"
        )
    ).one()
    return HeadSummary(
        view, previous, waiting, oldest, standings, unranked, _overall(now), _overall(before)
    )
