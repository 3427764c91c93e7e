"""Counting evidence for the compliance picture with one aggregate query, whatever the size.

Every date that matters (each slot's and window's first day, and the day after each one's
last) is turned into the UTC instant at which it begins in the city. Between consecutive
instants lie "stretches"; one query counts evidence per task, unit, status and stretch with
a CASE over those instants, so the database does the grouping and the time-zone arithmetic
is done once, in Python, correctly for any zone. A 16 × 10 matrix over tens of thousands of
items is a few hundred result rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from wardapp.compliance.rules import COUNTED_STATUSES, Tally
from wardapp.core.periods import local_midnight_utc
from wardapp.db import not_an_index_key
from wardapp.evidence.chains import superseded
from wardapp.evidence.models import Evidence
from wardapp.extensions import db


def counted(query: Select, statuses: Iterable[str] = COUNTED_STATUSES) -> Select:
    """The evidence the picture counts: not withdrawn, not replaced by a live correction, so
    a returned report corrected and sent again counts once, as its correction, in the matrix
    and in every file alike (whatever its status: rows from before one correction per item
    was enforced may hold an approved item and its approved correction)."""
    # Led by task, unit and dates, never by status: it narrows little (see not_an_index_key).
    return query.where(not_an_index_key(Evidence.status).in_(list(statuses)), ~superseded())


def between_days(start: date, end: date, tz: tzinfo) -> ColumnElement[bool]:
    """Evidence that happened on local days ``start`` to ``end``, both included."""
    return and_(
        Evidence.occurred_at >= local_midnight_utc(start, tz),
        Evidence.occurred_at < local_midnight_utc(end + timedelta(days=1), tz),
    )


def edges(spans: Iterable[tuple[date, date]]) -> list[date]:
    """The sorted first days of the stretches that no span straddles."""
    days = set()
    for start, end in spans:
        days.add(start)
        days.add(end + timedelta(days=1))
    return sorted(days)


def count_evidence(
    task_ids: list[int],
    unit_ids: list[int],
    spans: Iterable[tuple[date, date]],
    tz: tzinfo,
    session: Session | None = None,
) -> dict[tuple[int, int], Tally]:
    """Counted evidence per (task id, unit id), by stretch and status, in one query."""
    days = edges(spans)
    if not task_ids or not unit_ids or len(days) < 2:
        return {}
    instants = [local_midnight_utc(day, tz) for day in days]
    stretch = case(
        *[(Evidence.occurred_at < moment, i) for i, moment in enumerate(instants[1:])],
        else_=len(instants) - 2,
    )
    inner = counted(
        select(Evidence.task_id, Evidence.unit_id, Evidence.status, stretch.label("stretch")).where(
            Evidence.task_id.in_(task_ids),
            Evidence.unit_id.in_(unit_ids),
            Evidence.occurred_at >= instants[0],
            Evidence.occurred_at < instants[-1],
        )
    ).subquery()
    # Grouped outside: PostgreSQL will not match a GROUP BY CASE whose parameters differ.
    rows = (session or db.session).execute(
        select(
            inner.c.task_id, inner.c.unit_id, inner.c.status, inner.c.stretch, func.count()
        ).group_by(inner.c.task_id, inner.c.unit_id, inner.c.status, inner.c.stretch)
    )
    tallies: dict[tuple[int, int], Tally] = {}
    for task_id, unit_id, status, index, n in rows:
        tallies.setdefault((task_id, unit_id), Tally()).add(days[index], status, n)
    return tallies
