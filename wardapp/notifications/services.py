"""Writing notices and reading them back. Only flushes: the caller's transaction keeps them.

A notice is written in Vietnamese, the city's language, whoever's request caused it, and
is delivered by the channels (``channels``) once the transaction that wrote it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from wardapp import jobs
from wardapp.auth.models import User
from wardapp.core.i18n import fmt_date, local
from wardapp.core.roles import Role
from wardapp.db import now_utc, rows_matched
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.notifications import channels
from wardapp.notifications.models import KEY_LENGTH, Notification

PAGE_SIZE = 30
MAX_PAGE_SIZE = 100


def path_for(endpoint: str, **values: Any) -> str:
    """A link inside the app (a path), in a request or not (a command, a background job)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def unit_officers(unit_id: int) -> list[User]:
    """The active officer accounts of a unit: who hears of what concerns it."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.unit_id == unit_id, User.role == Role.OFFICER, User.active.is_(True))
            .order_by(User.id)
        )
    )


def add(
    users: Iterable[User],
    kind: str,
    text: str,
    url: str,
    *,
    evidence_id: int | None = None,
) -> list[Notification]:
    """One notice to each user; delivered by push and e-mail after the commit."""
    made = [
        Notification(user_id=u.id, kind=kind, text=text[:2000], url=url, evidence_id=evidence_id)
        for u in users
    ]
    db.session.add_all(made)
    db.session.flush()
    _deliver_later(made)
    return made


def _deliver_later(notifications: Sequence[Notification]) -> None:
    """Pushed by a background job once the transaction commits; nothing if it rolls back."""
    if notifications:
        jobs.enqueue(channels.deliver, [n.id for n in notifications])


def returned(evidence: Evidence, reason: str) -> list[Notification]:
    """An item sent back: each officer of its unit is told why, and led to the correction."""
    with force_locale("vi"):
        text = _(
            "Minh chứng #%(id)s (nhiệm vụ %(number)s) bị trả lại: %(reason)s",
            id=evidence.id,
            number=evidence.task.number,
            reason=reason,
        )
    url = path_for(
        "evidence.capture", task_id=evidence.task_id, kind=evidence.kind, supersedes=evidence.id
    )
    return add(unit_officers(evidence.unit_id), "returned", text, url, evidence_id=evidence.id)


def approved(evidence: Evidence, at: datetime | None = None) -> list[Notification]:
    """An item approved: gathered into one notice a day for each officer of the unit."""
    day = local(at or now_utc()).date()
    made = []
    for user in unit_officers(evidence.unit_id):
        key = f"approved:{user.id}:{day.isoformat()}"[:KEY_LENGTH]
        notice = _gather(user, key, evidence, fmt_date(day))
        if notice is not None:
            made.append(notice)
    return made


def _approved_text(count: int, day_text: str) -> str:
    with force_locale("vi"):
        return _("Ngày %(day)s: %(n)s minh chứng của đơn vị đã được duyệt.", day=day_text, n=count)


def _gather(user: User, key: str, evidence: Evidence, day_text: str) -> Notification | None:
    """The day's notice for ``user``: written by the first approval, counted up by the next."""
    existing = db.session.scalar(select(Notification).where(Notification.key == key))
    if existing is None:
        notice = Notification(
            user_id=user.id,
            kind="approved",
            text=_approved_text(1, day_text),
            url=path_for("evidence.mine"),
            evidence_id=evidence.id,
            key=key,
        )
        try:
            with db.session.begin_nested():
                db.session.add(notice)
        except IntegrityError:  # another approval of the same day wrote it first
            existing = db.session.scalar(select(Notification).where(Notification.key == key))
        else:
            _deliver_later([notice])
            return notice
    assert existing is not None
    # One more the same day: the count grows, the notice is unread again.
    db.session.execute(
        update(Notification)
        .where(Notification.id == existing.id)
        .values(count=Notification.count + 1, read_at=None, evidence_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(existing)
    existing.text = _approved_text(existing.count, day_text)
    return None


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def page(user: User, before: int | None, size: int = PAGE_SIZE) -> tuple[list[Notification], bool]:
    """Newest first; ``before`` is the last id of the previous page. Also whether more follow."""
    query = select(Notification).where(Notification.user_id == user.id)
    if before:
        query = query.where(Notification.id < before)
    rows = list(db.session.scalars(query.order_by(Notification.id.desc()).limit(size + 1)))
    return rows[:size], len(rows) > size


def mark_read(user: User, ids: Sequence[int] | None) -> int:
    """Mark the user's notices read: those of ``ids``, or all with None. How many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        if not ids:
            return 0
        query = query.where(Notification.id.in_(list(ids)))
    result = db.session.execute(
        query.values(read_at=now_utc()).execution_options(synchronize_session=False)
    )
    return rows_matched(result)


def as_json(notice: Notification) -> dict:
    return {
        "id": notice.id,
        "kind": notice.kind,
        "text": notice.text,
        "url": notice.url,
        "evidence_id": notice.evidence_id,
        "created_at": notice.created_at.isoformat(),
        "read": notice.read,
    }
