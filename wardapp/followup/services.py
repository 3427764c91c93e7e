"""Filing and deciding explanations. Only flushes: the request's transaction keeps it all.

Urges (đôn đốc) are sent by a reviewer or an overseer to units behind; each unit's officers
are told, the urge is audited and the cells show when it was sent and by whom.

A unit's officer files an explanation (giải trình) for a task and a period it could not
fulfil; a reviewer accepts or refuses it with a note, once (a conditional update on the
state the reviewer saw, like evidence decisions). Both are audited; the unit's officers
hear of the decision. An accepted one makes the cell "có giải trình" (compliance.explained).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.core.periods import Period
from wardapp.core.roles import Role
from wardapp.core.text import clean_text, refused_characters
from wardapp.db import DbSession, now_utc, rows_matched
from wardapp.extensions import db
from wardapp.followup.models import Explanation, Urge, urge_unit
from wardapp.media import errors as media_errors
from wardapp.media.app_store import storage
from wardapp.media.names import clean_filename
from wardapp.media.sniff import SUFFIXES
from wardapp.media.upload import check_attachment
from wardapp.notifications import services as notices
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

REASON_LIMIT = 2000
NOTE_LIMIT = 500
PERIOD = re.compile(r"^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2])|W(0[1-9]|[1-4]\d|5[0-3]))$")


class ExplanationError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, str(message), field


@dataclass(frozen=True)
class Span:
    """A period as filed ("2024-Q1", "2024-03", "2024-W11") and its local days."""

    code: str
    start: date
    end: date

    @property
    def is_week(self) -> bool:
        return "-W" in self.code


def parse_period(text: str | None, year: int) -> Span:
    """The span of a period code of the plan's year; ExplanationError 422 otherwise."""
    code = (text or "").strip().upper()
    match = PERIOD.match(code)
    if not match:
        raise ExplanationError(
            422,
            _("Kỳ phải viết như 2024-Q1 (quý), 2024-03 (tháng) hoặc 2024-W11 (tuần)."),
            "period",
        )
    y, quarter, month, week = match.groups()
    if week:
        try:
            monday = date.fromisocalendar(int(y), int(week), 1)
        except ValueError:
            raise ExplanationError(422, _("Năm %(y)s không có tuần đó.", y=y), "period") from None
        span = Span(code, monday, monday + timedelta(days=6))
        in_year = (monday + timedelta(days=3)).year == year  # the week's Thursday
    else:
        period = (
            Period.quarter(int(y), int(quarter)) if quarter else Period.month(int(y), int(month))
        )
        span = Span(code, period.start, period.end)
        in_year = int(y) == year
    if not in_year:
        raise ExplanationError(422, _("Kỳ phải thuộc năm %(y)s của kế hoạch.", y=year), "period")
    return span


def _reason(raw: str | None) -> str:
    if refused_characters(raw):
        raise ExplanationError(422, _("Lý do có ký tự không được phép."), "reason")
    reason = clean_text(raw)
    if not reason:
        raise ExplanationError(422, _("Hãy nêu lý do không thực hiện được."), "reason")
    if len(reason) > REASON_LIMIT:
        raise ExplanationError(422, _("Lý do dài quá %(n)s ký tự.", n=REASON_LIMIT), "reason")
    return reason


def file(
    officer: User,
    task: Task,
    period_text: str | None,
    reason_text: str | None,
    attachment: tuple[str, bytes] | None = None,
) -> Explanation:
    """An officer's explanation for their unit; the task must be one the unit has a part in."""
    if officer.role != Role.OFFICER or officer.unit_id is None:
        raise ExplanationError(403, _("Chỉ cán bộ của đơn vị được gửi giải trình."))
    part = db.session.scalar(
        select(TaskUnit).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == officer.unit_id)
    )
    if part is None:
        raise ExplanationError(422, _("Đơn vị không có phần trong nhiệm vụ này."), "task_id")
    span = parse_period(period_text, task.plan.year)
    reason = _reason(reason_text)
    standing = db.session.scalar(
        select(Explanation.id).where(
            Explanation.task_id == task.id,
            Explanation.unit_id == officer.unit_id,
            Explanation.period == span.code,
            Explanation.status != "refused",
        )
    )
    if standing is not None:
        raise ExplanationError(
            409,
            _("Đơn vị đã có giải trình cho nhiệm vụ và kỳ này (#%(id)s).", id=standing),
            "period",
        )
    explanation = Explanation(
        task_id=task.id,
        unit_id=officer.unit_id,
        period=span.code,
        period_start=span.start,
        period_end=span.end,
        reason=reason,
        submitted_by_id=officer.id,
    )
    if attachment is not None:
        _attach(explanation, *attachment)
    db.session.add(explanation)
    db.session.flush()
    record(officer, "explanation.file", explanation, task_id=task.id, period=span.code)
    return explanation


def _attach(explanation: Explanation, name: str, data: bytes) -> None:
    name = clean_filename(name) or "giai-trinh"
    limit = current_app.config["MAX_FILE_BYTES"]
    try:
        if not data:
            raise media_errors.empty(name, "attachment")
        if len(data) > limit:
            raise media_errors.too_large(name, len(data), limit, "attachment")
        content_type = check_attachment(data, name)
    except media_errors.MediaError as refused:
        raise ExplanationError(refused.status, refused.message, "attachment") from None
    explanation.attachment_key = storage().put(data, SUFFIXES.get(content_type, ".bin"))
    explanation.attachment_name = name[:255]
    explanation.attachment_type = content_type


def decide(reviewer: User, explanation: Explanation, decision: str, note: str = "") -> Explanation:
    """Accept or refuse a waiting explanation, once; the unit's officers are told."""
    if decision not in ("accepted", "refused"):
        raise ValueError(decision)
    note = " ".join(clean_text(note).split())[:NOTE_LIMIT]
    if decision == "refused" and not note:
        raise ExplanationError(422, _("Hãy ghi lý do không chấp nhận."), "note")
    result = db.session.execute(
        update(Explanation)
        .where(Explanation.id == explanation.id, Explanation.status == "submitted")
        .values(
            status=decision,
            review_note=note or None,
            reviewer_id=reviewer.id,
            reviewed_at=now_utc(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(explanation)
    if rows_matched(result) != 1:
        raise ExplanationError(409, _("Giải trình này đã được quyết định."))
    record(
        reviewer,
        "explanation.accept" if decision == "accepted" else "explanation.refuse",
        explanation,
        note=note or None,
    )
    _tell_unit(explanation)
    return explanation


def _tell_unit(explanation: Explanation) -> None:
    with force_locale("vi"):
        if explanation.status == "accepted":
            text = _(
                "Giải trình nhiệm vụ %(n)s, kỳ %(p)s đã được chấp nhận.",
                n=explanation.task.number,
                p=explanation.period,
            )
        else:
            text = _(
                "Giải trình nhiệm vụ %(n)s, kỳ %(p)s không được chấp nhận: %(note)s",
                n=explanation.task.number,
                p=explanation.period,
                note=explanation.review_note or "",
            )
    url = notices.path_for("compliance.unit_page", plan=explanation.task.plan_id)
    notices.add(notices.unit_officers(explanation.unit_id), "explanation", text, url)


def accepted_for(
    task_ids: Sequence[int],
    unit_ids: Sequence[int] | None,
    start: date,
    end: date,
    session: DbSession | None = None,
) -> dict[tuple[int, int], list[Explanation]]:
    """Accepted explanations of these tasks and units (None: every unit's) whose days meet
    ``start``–``end``."""
    if not task_ids or unit_ids is not None and not unit_ids:
        return {}
    query = select(Explanation).where(
        Explanation.task_id.in_(list(task_ids)),
        Explanation.status == "accepted",
        Explanation.period_start <= end,
        Explanation.period_end >= start,
    )
    if unit_ids is not None:
        query = query.where(Explanation.unit_id.in_(list(unit_ids)))
    rows = (session or db.session).scalars(query.order_by(Explanation.period_start, Explanation.id))
    found: dict[tuple[int, int], list[Explanation]] = {}
    for row in rows:
        found.setdefault((row.task_id, row.unit_id), []).append(row)
    return found


def of_unit(unit_id: int, start: date, end: date) -> list[Explanation]:
    """Every explanation of a unit meeting the days, any state, newest first."""
    return list(
        db.session.scalars(
            select(Explanation)
            .where(
                Explanation.unit_id == unit_id,
                Explanation.period_start <= end,
                Explanation.period_end >= start,
            )
            .order_by(Explanation.id.desc())
        )
    )


def waiting(unit_ids: list[int] | None, limit: int = 50) -> list[Explanation]:
    """What waits for a reviewer, oldest first, among the units they see."""
    query = select(Explanation).where(Explanation.status == "submitted")
    if unit_ids is not None:
        query = query.where(Explanation.unit_id.in_(unit_ids))
    return list(db.session.scalars(query.order_by(Explanation.created_at).limit(limit)))


def as_json(explanation: Explanation) -> dict:
    return {
        "id": explanation.id,
        "task_id": explanation.task_id,
        "unit_id": explanation.unit_id,
        "period": explanation.period,
        "reason": explanation.reason,
        "status": explanation.status,
        "attachment": explanation.attachment_name,
        "review_note": explanation.review_note,
        "created_at": explanation.created_at.isoformat(),
        "reviewed_at": explanation.reviewed_at.isoformat() if explanation.reviewed_at else None,
    }


URGE_LIMIT = 2000


@dataclass(frozen=True)
class UrgeMark:
    """When a unit was last urged, and by whom, as a cell says it."""

    at: datetime
    by: str


def send_urge(
    sender: User,
    plan: Plan,
    period: Period,
    task: Task | None,
    units: Sequence[Unit],
    message_text: str | None,
) -> Urge:
    """Urge ``units`` (about ``task``, or all they are behind on); their officers are told."""
    if refused_characters(message_text):
        raise ExplanationError(422, _("Lời nhắn có ký tự không được phép."), "message")
    message = clean_text(message_text)
    if not message:
        raise ExplanationError(422, _("Hãy viết lời nhắn đôn đốc."), "message")
    if len(message) > URGE_LIMIT:
        raise ExplanationError(422, _("Lời nhắn dài quá %(n)s ký tự.", n=URGE_LIMIT), "message")
    if not units:
        raise ExplanationError(422, _("Hãy chọn ít nhất một đơn vị."), "units")
    urge = Urge(
        plan_id=plan.id,
        task_id=task.id if task else None,
        period=period.slug.upper(),
        period_start=period.start,
        period_end=period.end,
        message=message,
        sender_id=sender.id,
        units=list(units),
    )
    db.session.add(urge)
    db.session.flush()
    record(
        sender,
        "urge.send",
        urge,
        task_id=urge.task_id,
        period=urge.period,
        unit_ids=[u.id for u in units],
        message=message,
    )
    for unit in units:
        url = notices.path_for("compliance.unit_page", plan=plan.id, **period.args)
        notices.add(notices.unit_officers(unit.id), "urge", message, url)
    return urge


def latest_urges(
    plan_id: int,
    unit_ids: Sequence[int] | None,
    start: date,
    end: date,
    session: DbSession | None = None,
) -> dict[tuple[int | None, int], UrgeMark]:
    """(task id or None for every task, unit id) → the last urge meeting the days, for these
    units (None: every unit)."""
    if unit_ids is not None and not unit_ids:
        return {}
    query = (
        select(
            Urge.task_id, urge_unit.c.unit_id, Urge.created_at, User.display_name, Unit.short_name
        )
        .join(urge_unit, urge_unit.c.urge_id == Urge.id)
        .join(User, User.id == Urge.sender_id)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(Urge.plan_id == plan_id, Urge.period_start <= end, Urge.period_end >= start)
    )
    if unit_ids is not None:
        query = query.where(urge_unit.c.unit_id.in_(list(unit_ids)))
    rows = (session or db.session).execute(query.order_by(Urge.created_at))
    found: dict[tuple[int | None, int], UrgeMark] = {}
    for task_id, unit_id, at, name, unit_name in rows:
        found[(task_id, unit_id)] = UrgeMark(at, unit_name or name)
    return found
