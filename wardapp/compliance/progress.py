"""One unit's side of the picture: what it is missing in a period, and what is due now.

The officer's home asks "what is due this week / this quarter". When today lies outside the
plan's year there is no "this week" of the plan: the answer says so and shows the quarter the
home page shows (the plan's nearest), never an empty list without a word of why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from wardapp.compliance.picture import Picture, compliance_for
from wardapp.compliance.rules import Cell
from wardapp.core.i18n import fmt_date
from wardapp.core.periods import Period
from wardapp.plans.models import Plan, Task
from wardapp.plans.periods import view_for


@dataclass
class UnitLine:
    task: Task
    cell: Cell


@dataclass
class Due:
    """What the officer's home shows about the unit's duties now."""

    period: Period
    in_plan_year: bool
    today: date
    now: list[UnitLine] = field(default_factory=list)  # a running week/month/deadline not done
    behind: list[UnitLine] = field(default_factory=list)  # stretches already missed
    met: int = 0
    scored: int = 0

    @property
    def why_no_week(self) -> str | None:
        if self.in_plan_year:
            return None
        return _(
            "Hôm nay (%(today)s) không thuộc năm %(y)s của kế hoạch, nên không có việc "
            "“tuần này”. Dưới đây là kết quả %(p)s của đơn vị.",
            today=fmt_date(self.today),
            y=self.period.year,
            p=self.period.label,
        )


def unit_lines(picture: Picture, unit_id: int) -> list[UnitLine]:
    return [
        UnitLine(t, cell)
        for t in picture.tasks
        if (cell := picture.cell(t.id, unit_id)) is not None
    ]


def due_now(plan: Plan, unit_id: int, today: date) -> Due:
    view = view_for(plan.year, today)
    period = view.period
    picture = compliance_for(plan, period, as_of=today, unit_ids=[unit_id])
    due = Due(period, view.in_plan_year, today)
    for line in unit_lines(picture, unit_id):
        cell = line.cell
        if cell.open_slot is not None and cell.scored:
            due.now.append(line)
        if cell.missing:
            due.behind.append(line)
        if cell.verdict != "unscored":
            due.scored += 1
            due.met += cell.verdict == "met"
    return due
