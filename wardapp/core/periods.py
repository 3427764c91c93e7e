"""The stretches of time compliance is judged over, and the ISO weeks that belong to each.

A period is a month, a quarter or a plan's year, in the city's local dates. A week belongs
to the period that holds its Thursday (the ISO 8601 rule for weeks and years, carried down
to quarters and months): every week belongs to exactly one quarter and one month, a quarter
has 13 or 14 weeks, and the four quarters of a year add up to the year's 52 or 53 weeks.
A week straddling a quarter's edge is therefore expected once, in the quarter that holds
most of its days, and evidence from any of its seven days fulfils it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from flask_babel import gettext as _

from wardapp.core.i18n import fmt_date, fmt_day_month

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_KINDS = ("month", "quarter", "year")


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday, in local dates."""

    monday: date

    @classmethod
    def of(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def thursday(self) -> date:
        return self.monday + timedelta(days=3)

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def label(self) -> str:
        return _(
            "Tuần %(n)s (%(a)s–%(b)s)",
            n=self.number,
            a=fmt_day_month(self.monday),
            b=fmt_date(self.sunday),
        )


@dataclass(frozen=True)
class Period:
    """A month, quarter or year of local dates; ``number`` is 0 for a year."""

    kind: str
    year: int
    number: int = 0

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        return cls("quarter", year, number)

    @classmethod
    def month(cls, year: int, number: int) -> Period:
        return cls("month", year, number)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls("quarter", day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls("year", year, 0)

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        if (
            self.kind == "year"
            or (self.kind == "quarter" and self.number == 4)
            or (self.kind == "month" and self.number == 12)
        ):
            return date(self.year, 12, 31)
        following = self.number + 1 if self.kind == "month" else 3 * self.number + 1
        return date(self.year, following, 1) - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def weeks(self) -> list[Week]:
        """The ISO weeks whose Thursday lies in the period (see the module's docstring)."""
        week = Week.of(self.start)
        if week.thursday < self.start:
            week = Week(week.monday + timedelta(days=7))
        weeks = []
        while week.thursday <= self.end:
            weeks.append(week)
            week = Week(week.monday + timedelta(days=7))
        return weeks

    def months(self) -> list[Period]:
        if self.kind == "month":
            return [self]
        first = self.start.month
        return [Period.month(self.year, m) for m in range(first, self.end.month + 1)]

    def quarters(self) -> list[Period]:
        if self.kind == "quarter":
            return [self]
        if self.kind == "year":
            return [Period.quarter(self.year, q) for q in range(1, 5)]
        return []  # a month holds no whole quarter

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(m)s/%(y)s", m=self.number, y=self.year)
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)s", q=QUARTER_NAMES[self.number], y=self.year)
        return _("Năm %(y)s", y=self.year)

    @property
    def phrase(self) -> str:
        """The period as a report's subject line says it: "quý I năm 2024"."""
        if self.kind == "month":
            return _("tháng %(m)s năm %(y)s", m=self.number, y=self.year)
        if self.kind == "quarter":
            return _("quý %(q)s năm %(y)s", q=QUARTER_NAMES[self.number], y=self.year)
        return _("năm %(y)s", y=self.year)

    @property
    def args(self) -> dict:
        """The query arguments that name this period in a URL."""
        if self.kind == "month":
            return {"month": self.number}
        if self.kind == "quarter":
            return {"quarter": self.number}
        return {"period": "year"}

    @property
    def slug(self) -> str:
        """For file names: ``2024-q1``, ``2024-03``, ``2024``."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-q{self.number}"
        return str(self.year)


def local_midnight_utc(day: date, tz: tzinfo) -> datetime:
    """The UTC instant at which ``day`` begins in the city: evidence is stored in UTC, and
    a local date's bounds are where a day's evidence starts and stops."""
    return datetime.combine(day, time(), tz).astimezone(UTC)
