"""Accepted explanations in the picture: a cell short only of what was explained is *có
giải trình* ("explained"), its own verdict, never *đạt*.

An explanation covers a slot when the slot lies within its days: a week by its Thursday (the
rule that gives each week to one period), a deadline by its day, a month or quarter whole.
The missing slots it covers leave ``missing`` for ``explained``; a cell with nothing missing
left but what waits for review stays *chờ duyệt*, one with uncovered gaps stays *chưa đạt*.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

from wardapp.compliance.rules import Cell, Slot


class Covering(Protocol):
    @property
    def period_start(self) -> date: ...
    @property
    def period_end(self) -> date: ...


def covers(explanation: Covering, slot: Slot) -> bool:
    start, end = explanation.period_start, explanation.period_end
    if slot.kind == "week":
        return start <= slot.start + timedelta(days=3) <= end
    if slot.kind == "deadline":
        return start <= slot.end <= end
    return start <= slot.start and slot.end <= end


def apply(cell: Cell, explanations: Sequence[Covering]) -> Cell:
    """Move the missing slots the explanations cover to ``explained`` and judge again."""
    cell.explanations = list(explanations)
    if not explanations or cell.verdict not in ("unmet", "pending") or not cell.missing:
        return cell
    still = [s for s in cell.missing if not any(covers(e, s) for e in explanations)]
    cell.explained = [s for s in cell.missing if s not in still]
    cell.missing = still
    if not still:
        cell.verdict = "pending" if cell.awaiting else "explained"
    return cell
