"""The years a date from a URL or a form may name: a plan's, with room on both sides.

A ``datetime`` holds years 1 to 9999, but not every moment of them in every zone: midnight of
1 January of year 1 in Hà Nội is in year 0 in UTC, and the database layer, which stores UTC,
overflows on it. Nothing this app records happened before 1900 or will after 2200, so a date
from outside is brought to the nearest end (a filter) or refused (a report's time).
"""

from datetime import date

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def clamp(day: date) -> date:
    """``day``, or the nearest end of the range: ``from=0001-01-01`` means "from the start"."""
    return min(max(day, EARLIEST), LATEST)


def parse_day(raw: str | None) -> date | None:
    """An ISO date (``2024-03-20``) as a filter takes it, clamped; None if there is none."""
    try:
        return clamp(date.fromisoformat(raw)) if raw else None
    except ValueError:
        return None
