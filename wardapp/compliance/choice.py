"""Which plan and period a compliance page or export shows, read from its query string.

Every page says which period it shows; when the quarter was chosen for the user because today
lies outside the plan's year, ``note`` says so in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, request

from wardapp.core.periods import Period
from wardapp.plans import lookup
from wardapp.plans.models import Plan
from wardapp.plans.periods import view_for


@dataclass
class Choice:
    """The plan and period a compliance page shows, and the sentence explaining the choice."""

    plan: Plan
    period: Period
    note: str | None
    today: date

    def args(self, **more) -> dict:
        return {"plan": self.plan.id, **self.period.args, **more}


def choice_from_request(today: date) -> Choice:
    """``plan``, then ``period=year``, ``month=1..12`` or ``quarter=1..4``; by default the
    quarter the home page shows (today's, or the plan's nearest with a note)."""
    plan = lookup.current_plan(request.args.get("plan", type=int))
    if plan is None:
        abort(404)
    if request.args.get("period") == "year":
        return Choice(plan, Period.whole_year(plan.year), None, today)
    month = request.args.get("month", type=int)
    if month is not None and 1 <= month <= 12:
        return Choice(plan, Period.month(plan.year, month), None, today)
    view = view_for(plan.year, today, request.args.get("quarter", type=int))
    return Choice(plan, view.period, view.note, today)
