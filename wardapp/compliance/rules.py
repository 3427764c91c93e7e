"""How the plan's "when" column is judged: pure functions over dates and counts, no database.

- ``weekly`` (Mỗi tuần 1 lần): one accepted item in every ISO week of the period; a week
  belongs to the period holding its Thursday (see ``periods``).
- ``deadline`` (Quý I/2024): one accepted item that happened on or before the deadline, a
  local date, inclusive. Judged in the period (and the year) that holds the deadline; other
  periods show it as not counted, so a unit is not marked down twice for one task.
- ``per_period`` (Thường xuyên): the reviewer-set minimum in every month or quarter of the
  period; without a minimum the task is reported, not scored.
- ``on_change`` (khi có thay đổi): reported, not scored.

Only approved evidence counts toward "đạt"; evidence waiting for review can only make a
cell "chờ duyệt" (it would be met if the waiting items were approved). Evidence counts by
when the work happened, never by when it was sent or reviewed.

With ``as_of`` (today), a stretch that has not started is not expected yet, and one still
running is expected only once it is met (or would be, if what waits were approved): the
score never marks down what a unit can still do in time. The stretch still open is
reported as ``open_slot``, which is the officer's "due this week".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wardapp.compliance.tally import Tally
from wardapp.core.i18n import fmt_date
from wardapp.core.periods import Period, Week

VERDICTS = ("met", "unmet", "pending", "explained", "unscored")
VERDICT_LABELS = {
    "met": _l("Đạt"),
    "unmet": _l("Chưa đạt"),
    "pending": _l("Chờ duyệt"),
    "explained": _l("Có giải trình"),
    "unscored": _l("Không tính"),
}
COUNTED_STATUSES = ("approved", "submitted", "returned")


@dataclass(frozen=True)
class Slot:
    """A stretch in which a rule asks for ``required`` accepted items."""

    kind: str  # week | month | quarter | deadline
    start: date
    end: date
    required: int

    @property
    def label(self) -> str:
        if self.kind == "week":
            return Week(self.start).label
        if self.kind == "deadline":
            return _("Hạn %(d)s", d=fmt_date(self.end))
        return Period(
            self.kind,
            self.start.year,
            self.start.month if self.kind == "month" else (self.start.month + 2) // 3,
        ).label


@dataclass(frozen=True)
class Expectation:
    """What a task's rule asks of one responsible unit in a period, and which days count."""

    slots: tuple[Slot, ...]
    window: tuple[date, date]
    reason: object = None  # why nothing is scored (a lazy string), when nothing is


class TaskRule(Protocol):
    """What the rules read of a task: a ``Task``, or anything shaped like one."""

    @property
    def rule(self) -> str: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def min_count(self) -> int | None: ...
    @property
    def period(self) -> str | None: ...


def expectation_for(task: TaskRule, period: Period) -> Expectation:
    """The slots a task's rule sets in the period."""
    whole = (period.start, period.end)
    if task.rule == "weekly":
        weeks = period.weeks()
        if not weeks:
            return Expectation((), whole, _l("Kỳ này không chứa trọn tuần nào."))
        return Expectation(
            tuple(Slot("week", w.monday, w.sunday, 1) for w in weeks),
            (weeks[0].monday, weeks[-1].sunday),
        )
    if task.rule == "deadline":
        if task.deadline is None:
            return Expectation((), whole, _l("Chưa đặt hạn hoàn thành."))
        if not period.contains(task.deadline):
            return Expectation(
                (), whole, _l("Hạn %(d)s nằm ngoài kỳ này.", d=fmt_date(task.deadline))
            )
        start = min(date(period.year, 1, 1), task.deadline)
        return Expectation((Slot("deadline", start, task.deadline, 1),), (start, task.deadline))
    if task.rule == "per_period":
        if not task.min_count:
            return Expectation((), whole, _l("Chưa đặt mức tối thiểu: chỉ ghi nhận, không chấm."))
        parts = period.months() if task.period == "month" else period.quarters()
        if not parts:
            return Expectation((), whole, _l("Mức tối thiểu tính theo quý: xem theo quý hoặc năm."))
        return Expectation(
            tuple(Slot(p.kind, p.start, p.end, task.min_count) for p in parts), whole
        )
    return Expectation((), whole, _l("Thực hiện khi có thay đổi: chỉ ghi nhận, không chấm."))


@dataclass(slots=True)
class Cell:
    """One task × one responsible unit in a period: what was asked, done, and the verdict."""

    task_id: int
    unit_id: int
    role: str
    scored: bool
    expected: int = 0
    done: int = 0
    accepted: int = 0
    pending: int = 0
    returned: int = 0
    verdict: str = "unscored"
    reason: object = None  # a lazy string: judged outside a request too
    missing: list[Slot] = field(default_factory=list)  # due, and nothing that could meet it
    awaiting: list[Slot] = field(default_factory=list)  # would be met if what waits were approved
    open_slot: Slot | None = None
    explained: list[Slot] = field(default_factory=list)  # missing, but explained and accepted
    explanations: list = field(default_factory=list)  # the accepted explanations it met

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def ratio(self) -> str:
        """ "done/expected" as the matrix and the files show it; a dash when not scored."""
        return f"{self.done}/{self.expected}" if self.verdict != "unscored" else "–"


def judge(cell: Cell, expectation: Expectation, tally: Tally, as_of: date | None = None) -> Cell:
    """Fill in the cell's counts and verdict from what the rule expects and what was counted."""
    lo, hi = expectation.window
    cell.accepted, cell.pending = tally.approved_waiting(lo, hi)
    cell.returned = tally.between(lo, hi, "returned")
    if not cell.scored:
        cell.reason = (
            _l("Đơn vị phối hợp: không chấm điểm.")
            if cell.role != "lead"
            else _l("Đơn vị không được chấm điểm ở nhiệm vụ này.")
        )
        return cell
    if not expectation.slots:
        cell.reason = expectation.reason
        return cell
    short = []  # slots due but not met: would approving what waits meet them?
    for slot in expectation.slots:
        if as_of is not None and slot.start > as_of:
            continue
        approved, waiting = tally.approved_waiting(slot.start, slot.end)
        met, could = approved >= slot.required, approved + waiting >= slot.required
        running = as_of is not None and slot.end >= as_of
        if running and not could:
            cell.open_slot = slot
            continue
        cell.expected += slot.required
        cell.done += min(approved, slot.required)
        if not met:
            short.append(could)
            (cell.awaiting if could else cell.missing).append(slot)
    if cell.expected == 0:
        cell.reason = _l("Chưa đến hạn.")
        cell.verdict = "unscored"
    elif cell.done >= cell.expected:
        cell.verdict = "met"
    else:
        cell.verdict = "pending" if all(short) else "unmet"
    return cell


def how_judged(task: TaskRule) -> str:
    """How a task's rule is judged, in words, for the matrix, the settings link and the files:
    never the plan's own "when" text again ("Thường xuyên — Thường xuyên")."""
    if task.rule == "weekly":
        return _("Chấm theo tuần: mỗi tuần ít nhất 1 minh chứng được duyệt.")
    if task.rule == "deadline":
        if task.deadline is None:
            return _("Chấm theo hạn, nhưng chưa đặt hạn: chưa chấm.")
        return _(
            "Chấm theo hạn: ít nhất 1 minh chứng được duyệt, làm trước hoặc đúng ngày %(d)s.",
            d=fmt_date(task.deadline),
        )
    if task.rule == "per_period":
        if not task.min_count:
            return _("Làm thường xuyên, chưa đặt mức tối thiểu: chỉ ghi nhận, không chấm điểm.")
        if task.period == "month":
            return _(
                "Chấm theo tháng: ít nhất %(n)s minh chứng được duyệt mỗi tháng.", n=task.min_count
            )
        return _("Chấm theo quý: ít nhất %(n)s minh chứng được duyệt mỗi quý.", n=task.min_count)
    return _("Làm khi có thay đổi: chỉ ghi nhận, không chấm điểm.")


def is_scored(task: TaskRule) -> bool:
    """Whether the task's rule can give a verdict at all (a unit may still be left out)."""
    if task.rule == "weekly":
        return True
    if task.rule == "deadline":
        return task.deadline is not None
    if task.rule == "per_period":
        return bool(task.min_count)
    return False
