"""One reminder pass as of a local moment. Only flushes: the caller commits.

- **weekly** tasks: on the configured weekday from the configured hour (Thursday 08:00 by
  default), each scored unit with nothing sent for the current ISO week;
- **deadline** tasks: 7 and 2 days before the deadline (``REMIND_DEADLINE_DAYS``), each
  scored unit with nothing accepted toward it;
- **per_period** tasks with a minimum: in the last seven days of the month or quarter, each
  scored unit with fewer accepted items than the minimum;
- on **Mondays**, each active reviewer a digest of what waits for review and which of their
  units are behind in the quarter.

Each reminder is a ``ReminderSent`` row under a unique key (kind, task, unit, period), written
before its notices in a savepoint: a second pass, or two passes at once, send nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from wardapp.auth.models import User
from wardapp.compliance.counting import count_evidence
from wardapp.compliance.picture import compliance_for, responsible
from wardapp.compliance.rules import COUNTED_STATUSES
from wardapp.compliance.tally import Tally
from wardapp.core.i18n import city_tz, fmt_date
from wardapp.core.periods import Period, Week
from wardapp.core.roles import Role
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.followup.models import Explanation
from wardapp.notifications import services as notices
from wardapp.plans.models import Plan, Task
from wardapp.reminders.models import KEY_LENGTH, ReminderSent
from wardapp.units.models import Unit


@dataclass
class PassResult:
    """What one pass did: reminders made (by kind) and the notices they sent."""

    reminders: dict[str, int] = field(default_factory=dict)
    notifications: int = 0
    skipped: int = 0  # already sent by an earlier pass

    @property
    def total(self) -> int:
        return sum(self.reminders.values())

    def line(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.reminders.items())) or "none"
        return (
            f"{self.total} reminder(s) ({kinds}), {self.notifications} notification(s); "
            f"{self.skipped} already sent"
        )


def week_code(week: Week) -> str:
    year, number, _day = week.thursday.isocalendar()
    return f"{year}-W{number:02d}"


def _once(
    result: PassResult,
    kind: str,
    period: str,
    *,
    task: Task | None = None,
    unit: Unit | None = None,
    user: User | None = None,
) -> ReminderSent | None:
    """The reminder's row if this pass is the first to send it, else None."""
    owner = user.id if user else None
    key = f"{kind}:{task.id if task else '-'}:{unit.id if unit else owner}:{period}"[:KEY_LENGTH]
    if db.session.scalar(select(ReminderSent.id).where(ReminderSent.key == key)) is not None:
        result.skipped += 1
        return None
    row = ReminderSent(
        key=key,
        kind=kind,
        period=period,
        task_id=task.id if task else None,
        unit_id=unit.id if unit else None,
        user_id=owner,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another pass sent it a moment ago
        result.skipped += 1
        return None
    return row


def _remind_unit(
    result: PassResult, kind: str, period: str, task: Task, unit: Unit, text: str, url: str
) -> None:
    row = _once(result, kind, period, task=task, unit=unit)
    if row is None:
        return
    made = notices.add(notices.unit_officers(unit.id), "reminder", text, url)
    row.notified = len(made)
    result.reminders[kind] = result.reminders.get(kind, 0) + 1
    result.notifications += len(made)


def run_pass(now: datetime) -> PassResult:
    """Send what is due as of ``now`` (a local, aware moment) for every active plan of its year."""
    config = current_app.config
    today, hour = now.date(), now.hour
    result = PassResult()
    if hour < config["REMIND_HOUR"]:
        return result
    plans = db.session.scalars(
        select(Plan).where(Plan.active.is_(True), Plan.year == today.year).order_by(Plan.id)
    ).all()
    with force_locale("vi"):  # notices are in the city's language
        for plan in plans:
            _plan_pass(result, plan, today)
        if today.weekday() == 0:
            for plan in plans:
                _digests(result, plan, today)
    return result


def _plan_pass(result: PassResult, plan: Plan, today: date) -> None:
    config = current_app.config
    tz = city_tz()
    tasks, units = responsible(plan)
    active = {u.id: u for u in units}
    week = Week.of(today)
    spans = [(week.monday, week.sunday)]
    for task in tasks:
        if task.deadline:
            spans.append((date(plan.year, 1, 1), task.deadline))
        for part in (Period.month(today.year, today.month), Period.quarter_of(today)):
            spans.append((part.start, part.end))
    tallies = count_evidence([t.id for t in tasks], sorted(active), spans, tz)

    def scored(task: Task) -> Iterator[tuple[Unit, Tally | None]]:
        for a in task.assignments:
            if a.scored and a.unit_id in active:
                yield active[a.unit_id], tallies.get((task.id, a.unit_id))

    for task in tasks:
        url = notices.path_for("evidence.capture", task_id=task.id)
        if task.rule == "weekly" and today.weekday() == config["REMIND_WEEKDAY"]:
            for unit, tally in scored(task):
                sent = (
                    sum(tally.between(week.monday, week.sunday, s) for s in COUNTED_STATUSES)
                    if tally
                    else 0
                )
                if sent == 0:
                    text = _(
                        "Nhắc việc: %(w)s đơn vị chưa gửi minh chứng nhiệm vụ %(n)s (%(t)s).",
                        w=week.label,
                        n=task.number,
                        t=task.short_title,
                    )
                    _remind_unit(result, "weekly", week_code(week), task, unit, text, url)
        if task.rule == "deadline" and task.deadline:
            days = (task.deadline - today).days
            if days in config["REMIND_DEADLINE_DAYS"]:
                start = date(plan.year, 1, 1)
                for unit, tally in scored(task):
                    if (tally.between(start, task.deadline, "approved") if tally else 0) == 0:
                        text = _(
                            "Nhắc việc: còn %(d)s ngày đến hạn %(date)s của nhiệm vụ %(n)s "
                            "(%(t)s); đơn vị chưa có minh chứng được duyệt.",
                            d=days,
                            date=fmt_date(task.deadline),
                            n=task.number,
                            t=task.short_title,
                        )
                        kind = f"deadline-{days}"
                        _remind_unit(result, kind, task.deadline.isoformat(), task, unit, text, url)
        if task.rule == "per_period" and task.min_count:
            part = (
                Period.month(today.year, today.month)
                if task.period == "month"
                else Period.quarter_of(today)
            )
            if today < part.end - timedelta(days=6):
                continue
            for unit, tally in scored(task):
                accepted = tally.between(part.start, part.end, "approved") if tally else 0
                if accepted < task.min_count:
                    text = _(
                        "Nhắc việc: %(p)s sắp hết; nhiệm vụ %(n)s (%(t)s) cần ít nhất %(m)s "
                        "minh chứng được duyệt, đơn vị mới có %(a)s.",
                        p=part.label,
                        n=task.number,
                        t=task.short_title,
                        m=task.min_count,
                        a=accepted,
                    )
                    _remind_unit(result, "per_period", part.slug.upper(), task, unit, text, url)


def _digests(result: PassResult, plan: Plan, today: date) -> None:
    """Monday: each active reviewer hears what waits for review and who is behind."""
    quarter = Period.quarter_of(today)
    week = week_code(Week.of(today))
    reviewers = db.session.scalars(
        select(User).where(User.role == Role.REVIEWER, User.active.is_(True)).order_by(User.id)
    ).all()
    for reviewer in reviewers:
        seen = reviewer.seen_unit_ids
        waiting = select(func.count()).select_from(Evidence).where(Evidence.status == "submitted")
        explanations = (
            select(func.count()).select_from(Explanation).where(Explanation.status == "submitted")
        )
        if seen is not None:
            waiting = waiting.where(Evidence.unit_id.in_(seen))
            explanations = explanations.where(Explanation.unit_id.in_(seen))
        picture = compliance_for(plan, quarter, as_of=today, unit_ids=seen)
        behind = [
            u.short_name
            for u in picture.units
            if any(c.missing for (t, u_id), c in picture.cells.items() if u_id == u.id)
        ]
        n_waiting = db.session.scalar(waiting) or 0
        n_explanations = db.session.scalar(explanations) or 0
        if not (n_waiting or n_explanations or behind):
            continue
        row = _once(result, "digest", week, user=reviewer)
        if row is None:
            continue
        names = ", ".join(behind[:8]) + ("…" if len(behind) > 8 else "")
        text = _(
            "Đầu tuần: %(e)s minh chứng và %(x)s giải trình chờ duyệt; %(u)s đơn vị còn thiếu "
            "phần việc trong %(q)s%(names)s.",
            e=n_waiting,
            x=n_explanations,
            u=len(behind),
            q=quarter.label,
            names=f": {names}" if names else "",
        )
        made = notices.add([reviewer], "reminder", text, notices.path_for("review.queue_page"))
        row.notified = len(made)
        result.reminders["digest"] = result.reminders.get("digest", 0) + 1
        result.notifications += len(made)
