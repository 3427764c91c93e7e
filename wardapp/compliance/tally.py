"""What was counted of one task and unit, by stretch of days and status: what ``rules.judge``
reads. ``Tally`` is keyed by days (tests make them by hand); ``StretchTally`` is what the
aggregate count (``counting``) makes, a short list of counts per status."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date


class Tally:
    """Counted evidence of one task and unit: (first local day of a stretch, status) → count.

    The stretches come from the aggregate query and never straddle a slot's or a window's
    edge, so a stretch lies in a slot exactly when its first day does. A test may use days.
    Sums over a range of days are answered from running totals, so judging a year of weekly
    slots stays cheap.
    """

    def __init__(self, counts: dict[tuple[date, str], int] | None = None):
        self._counts: dict[tuple[date, str], int] = dict(counts or {})
        self._sums: dict[str, tuple[list[date], list[int]]] | None = None

    @property
    def counts(self) -> dict[tuple[date, str], int]:
        return self._counts

    def add(self, day: date, status: str, n: int = 1) -> None:
        self._counts[(day, status)] = self._counts.get((day, status), 0) + n
        self._sums = None

    def by_day(self, status: str) -> list[tuple[date, int]]:
        """(day, count) of one status, for the weekly chart."""
        return [(d, n) for (d, s), n in self.counts.items() if s == status]

    def _running(self, status: str) -> tuple[list[date], list[int]]:
        if self._sums is None:
            self._sums = {}
            for s in {s for _, s in self.counts}:
                days = sorted(d for d, s2 in self.counts if s2 == s)
                totals, running = [0], 0
                for d in days:
                    running += self.counts[(d, s)]
                    totals.append(running)
                self._sums[s] = (days, totals)
        return self._sums.get(status, ([], [0]))

    def between(self, start: date, end: date, status: str) -> int:
        days, totals = self._running(status)
        return totals[bisect_right(days, end)] - totals[bisect_left(days, start)]

    def approved_waiting(self, start: date, end: date) -> tuple[int, int]:
        """Approved and waiting items from ``start`` to ``end``: what a slot is judged by."""
        return self.between(start, end, "approved"), self.between(start, end, "submitted")


class Stretches:
    """The first days of the stretches one aggregate count was cut into, shared by all its
    tallies, with which stretches each asked span covers worked out once for them all."""

    def __init__(self, days: list[date]):
        self.days = days
        self.spans: dict[tuple[date, date], tuple[int, int]] = {}

    def span(self, start: date, end: date) -> tuple[int, int]:
        found = self.spans.get((start, end))
        if found is None:
            found = (bisect_left(self.days, start), bisect_right(self.days, end))
            self.spans[(start, end)] = found
        return found


class StretchTally(Tally):
    """A tally as the aggregate query makes it: per status, a count per stretch. A national
    picture holds 33,000 of these; a sum is a slice of a short list, nothing is sorted."""

    def __init__(self, stretches: Stretches):
        self.stretches = stretches
        self.per_status: dict[str, list[int]] = {}

    def put(self, index: int, status: str, n: int) -> None:
        row = self.per_status.get(status)
        if row is None:
            row = self.per_status[status] = [0] * len(self.stretches.days)
        row[index] += n

    def add(self, day: date, status: str, n: int = 1) -> None:
        self.put(bisect_right(self.stretches.days, day) - 1, status, n)

    @property
    def counts(self) -> dict[tuple[date, str], int]:
        days = self.stretches.days
        return {
            (days[i], s): n for s, row in self.per_status.items() for i, n in enumerate(row) if n
        }

    def by_day(self, status: str) -> list[tuple[date, int]]:
        days = self.stretches.days
        return [(days[i], n) for i, n in enumerate(self.per_status.get(status, ())) if n]

    def between(self, start: date, end: date, status: str) -> int:
        row = self.per_status.get(status)
        if row is None:
            return 0
        lo, hi = self.stretches.span(start, end)
        return sum(row[lo:hi])

    def approved_waiting(self, start: date, end: date) -> tuple[int, int]:
        # Called for every slot of every cell (a national quarter: 80,000 times), so the
        # span is looked up here rather than through another call.
        found = self.stretches.spans.get((start, end))
        lo, hi = found if found is not None else self.stretches.span(start, end)
        approved, waiting = self.per_status.get("approved"), self.per_status.get("submitted")
        return (
            sum(approved[lo:hi]) if approved else 0,
            sum(waiting[lo:hi]) if waiting else 0,
        )
