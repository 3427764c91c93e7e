"""Which part of a plan's year a page shows, and how to say so when today lies outside it."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        nxt = date(
            self.year + (self.number == 4), 1 if self.number == 4 else 3 * self.number + 1, 1
        )
        return nxt - timedelta(days=1)

    @property
    def label(self) -> str:
        return _("Quý %(q)s/%(y)s", q=QUARTER_NAMES[self.number], y=self.year)

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class PlanView:
    """The quarter a page shows for a plan, and a sentence explaining the choice if needed."""

    quarter: Quarter
    in_plan_year: bool
    note: str | None


def view_for(plan_year: int, today: date, quarter: int | None = None) -> PlanView:
    """Today's quarter when today is in the plan's year; otherwise the nearest one, said aloud."""
    if quarter in (1, 2, 3, 4):
        chosen = Quarter(plan_year, quarter)
        return PlanView(chosen, today.year == plan_year, None)
    if today.year == plan_year:
        return PlanView(Quarter.of(today), True, None)
    if today.year > plan_year:
        chosen = Quarter(plan_year, 4)
        note = _(
            "Hôm nay (%(today)s) đã qua năm %(y)s của kế hoạch: đang hiển thị %(q)s, "
            "quý cuối của kế hoạch. Chọn quý khác ở trên.",
            today=today.strftime("%d/%m/%Y"),
            y=plan_year,
            q=chosen.label,
        )
    else:
        chosen = Quarter(plan_year, 1)
        note = _(
            "Kế hoạch năm %(y)s chưa bắt đầu: đang hiển thị %(q)s.", y=plan_year, q=chosen.label
        )
    return PlanView(chosen, False, note)
