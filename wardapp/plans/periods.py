"""Which quarter of a plan's year a page shows, and how to say so when today lies outside it."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from wardapp.core.i18n import fmt_date
from wardapp.core.periods import Period


@dataclass(frozen=True)
class PlanView:
    """The quarter a page shows for a plan, and a sentence explaining the choice if needed."""

    period: Period
    in_plan_year: bool
    note: str | None


def view_for(plan_year: int, today: date, quarter: int | None = None) -> PlanView:
    """Today's quarter when today is in the plan's year; otherwise the nearest one, said aloud."""
    if quarter in (1, 2, 3, 4):
        return PlanView(Period.quarter(plan_year, quarter), today.year == plan_year, None)
    if today.year == plan_year:
        return PlanView(Period.quarter_of(today), True, None)
    if today.year > plan_year:
        chosen = Period.quarter(plan_year, 4)
        note = _(
            "Hôm nay (%(today)s) đã qua năm %(y)s của kế hoạch: đang hiển thị %(q)s, "
            "quý cuối của kế hoạch. Chọn quý khác ở trên.",
            today=fmt_date(today),
            y=plan_year,
            q=chosen.label,
        )
    else:
        chosen = Period.quarter(plan_year, 1)
        note = _(
            "Kế hoạch năm %(y)s chưa bắt đầu: đang hiển thị %(q)s.", y=plan_year, q=chosen.label
        )
    return PlanView(chosen, False, note)
