"""Reading the audit record: the filters a page or a CSV asks for, one query for both."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User, canonical_username
from wardapp.core.i18n import city_tz, fmt_datetime
from wardapp.core.periods import local_midnight_utc
from wardapp.core.text import export_safe
from wardapp.extensions import db

DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII only: "²".isdigit() is true
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PAGE_SIZE = 50
CSV_MAX_ROWS = 200_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BadFilter(ValueError):
    """A filter that cannot be read; the message says which, in Vietnamese."""


@dataclass
class AuditFilters:
    who: str = ""
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        def day(name: str, label: str) -> date | None:
            value = (args.get(name) or "").strip()
            if not value:
                return None
            try:
                day = date.fromisoformat(value) if ISO_DAY.fullmatch(value) else None
            except ValueError:
                day = None
            if day is None or not 1900 <= day.year <= 2200:
                raise BadFilter(
                    _("%(f)s không phải một ngày (yyyy-mm-dd): %(v)s", f=label, v=value[:40])
                )
            return day

        object_id = (args.get("object_id") or "").strip()
        if object_id and not DIGITS.fullmatch(object_id):
            raise BadFilter(_("Mã đối tượng phải là một số."))
        page = (args.get("page") or "1").strip()
        filters = cls(
            who=(args.get("who") or "").strip()[:64],
            action=(args.get("action") or "").strip()[:64],
            object_type=(args.get("object") or "").strip()[:32],
            object_id=int(object_id) if object_id else None,
            date_from=day("from", _("Từ ngày")),
            date_to=day("to", _("Đến ngày")),
            page=int(page) if DIGITS.fullmatch(page) and len(page) < 7 and int(page) > 0 else 1,
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise BadFilter(_("Ngày bắt đầu sau ngày kết thúc."))
        return filters

    def query_string(self, **changes) -> str:
        values = {
            "who": self.who,
            "action": self.action,
            "object": self.object_type,
            "object_id": self.object_id or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "page": self.page if self.page > 1 else "",
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def select(self) -> Select:
        """The events these filters keep, newest first."""
        query = select(AuditEvent)
        if self.who:
            actor = select(User.id).where(func.lower(User.username) == canonical_username(self.who))
            query = query.where(AuditEvent.actor_id.in_(actor.scalar_subquery()))
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.object_type:
            query = query.where(AuditEvent.object_type == self.object_type)
        if self.object_id is not None:
            query = query.where(AuditEvent.object_id == self.object_id)
        tz = city_tz()
        if self.date_from:
            query = query.where(AuditEvent.at >= local_midnight_utc(self.date_from, tz))
        if self.date_to:
            next_day = local_midnight_utc(self.date_to + timedelta(days=1), tz)
            query = query.where(AuditEvent.at < next_day)
        return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def page_of(filters: AuditFilters) -> tuple[list[AuditEvent], bool]:
    """One page of events, and whether there is another after it."""
    rows = list(
        db.session.scalars(
            filters.select()
            .options(selectinload(AuditEvent.actor))
            .offset((filters.page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def choices() -> tuple[list[str], list[str]]:
    """The actions and the object types the record holds, for the filters' lists."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    kinds = db.session.scalars(
        select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    )
    return list(actions), list(kinds)


def details_text(details: dict | None) -> str:
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)


def _cell(text: str) -> str:
    text = export_safe(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_chunks(filters: AuditFilters) -> Iterator[bytes]:
    """The events the filters keep, as CSV (UTF-8 with a byte-order mark, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(
        [
            _("Mã"),
            _("Thời điểm"),
            _("Người thực hiện"),
            _("Hành động"),
            _("Đối tượng"),
            _("Mã đối tượng"),
            _("Địa chỉ"),
            _("Chi tiết"),
        ]
    )
    query = filters.select().options(selectinload(AuditEvent.actor)).limit(CSV_MAX_ROWS)
    for event in db.session.scalars(query):
        writer.writerow(
            [
                event.id,
                fmt_datetime(event.at),
                _cell(event.actor.username if event.actor else ""),
                event.action,
                event.object_type,
                event.object_id if event.object_id is not None else "",
                event.address or "",
                _cell(details_text(event.details)),
            ]
        )
    yield buffer.getvalue().encode("utf-8")
