"""Counting evidence for the compliance picture with one aggregate query, whatever the size.

Every date that matters (each slot's and window's first day, and the day after each one's
last) is turned into the UTC instant at which it begins in the city. Between consecutive
instants lie "stretches"; one query counts evidence per task, unit, status and stretch with
a CASE over those instants, so the database does the grouping and the time-zone arithmetic
is done once, in Python, correctly for any zone. A 16 × 10 matrix over tens of thousands of
items is a few hundred result rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta, tzinfo

from sqlalchemy import ColumnElement, Select, and_, case, func, null, select
from sqlalchemy.orm import Session

from wardapp.compliance.rules import COUNTED_STATUSES, Stretches, StretchTally
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
    unit_ids: list[int] | None,
    spans: Iterable[tuple[date, date]] | Mapping[int, Iterable[tuple[date, date]]],
    tz: tzinfo,
    session: Session | None = None,
) -> dict[tuple[int, int], StretchTally]:
    """Counted evidence per (task id, unit id), by stretch and status, in one query.

    ``spans`` are the day ranges that will be asked about, for every task alike or per task
    id: a task judged by quarter needs one stretch where a weekly one needs thirteen, and a
    national quarter is 390,000 rows cut by week but 110,000 cut per task. ``unit_ids`` None
    counts every unit's: a list of 3,321 ids only slows the query; the caller keeps the
    units it shows.
    """
    if not isinstance(spans, Mapping):
        every = list(spans)
        spans = {t: every for t in task_ids}
    groups: dict[tuple[date, ...], list[int]] = {}  # tasks cut at the same days share a CASE
    for task_id in task_ids:
        days = tuple(edges(spans.get(task_id, ())))
        if len(days) >= 2:
            groups.setdefault(days, []).append(task_id)
    if not groups or unit_ids == []:
        return {}
    branches, stretches_of, lowest, highest = [], {}, None, None
    for days, ids in groups.items():
        instants = [local_midnight_utc(day, tz) for day in days]
        lowest = instants[0] if lowest is None else min(lowest, instants[0])
        highest = instants[-1] if highest is None else max(highest, instants[-1])
        # NULL before the first day and from the last: outside every span of these tasks.
        cut = case(
            (Evidence.occurred_at < instants[0], null()),
            *[(Evidence.occurred_at < moment, i) for i, moment in enumerate(instants[1:])],
            else_=null(),
        )
        branches.append((Evidence.task_id.in_(ids), cut))
        shared = Stretches(list(days[:-1]))
        stretches_of.update(dict.fromkeys(ids, shared))
    stretch = branches[0][1] if len(branches) == 1 else case(*branches, else_=null())
    inner = counted(
        select(Evidence.task_id, Evidence.unit_id, Evidence.status, stretch.label("stretch")).where(
            Evidence.task_id.in_(list(stretches_of)),
            Evidence.occurred_at >= lowest,
            Evidence.occurred_at < highest,
        )
    )
    if unit_ids is not None:
        inner = inner.where(Evidence.unit_id.in_(unit_ids))
    grouped = inner.subquery()
    # Grouped outside: PostgreSQL will not match a GROUP BY CASE whose parameters differ.
    rows = (session or db.session).execute(
        select(
            grouped.c.task_id, grouped.c.unit_id, grouped.c.status, grouped.c.stretch, func.count()
        )
        .where(grouped.c.stretch.is_not(None))
        .group_by(grouped.c.task_id, grouped.c.unit_id, grouped.c.status, grouped.c.stretch)
    )
    tallies: dict[tuple[int, int], StretchTally] = {}
    for task_id, unit_id, status, index, n in rows:
        tally = tallies.get((task_id, unit_id))
        if tally is None:
            tally = tallies[(task_id, unit_id)] = StretchTally(stretches_of[task_id])
        tally.put(index, status, n)
    return tallies


def count_by_week(
    task_ids: list[int],
    unit_ids: list[int] | None,
    weeks: list[tuple[date, date]],
    tz: tzinfo,
    session: Session | None = None,
    *,
    excluded: list[int] | None = None,
) -> dict[int, dict[date, int]]:
    """Approved evidence per task and week (Monday → count) over the units (None: all but
    ``excluded``), for the weekly chart: a few dozen rows however many units."""
    days = edges(weeks)
    if not task_ids or unit_ids == [] or len(days) < 2:
        return {}
    instants = [local_midnight_utc(day, tz) for day in days]
    week = case(
        *[(Evidence.occurred_at < moment, i) for i, moment in enumerate(instants[1:])],
        else_=len(instants) - 2,
    )
    inner = counted(
        select(Evidence.task_id, week.label("week")).where(
            Evidence.task_id.in_(task_ids),
            Evidence.occurred_at >= instants[0],
            Evidence.occurred_at < instants[-1],
        ),
        ("approved",),
    )
    if unit_ids is not None:
        inner = inner.where(Evidence.unit_id.in_(unit_ids))
    elif excluded:
        inner = inner.where(Evidence.unit_id.not_in(excluded))
    grouped = inner.subquery()
    rows = (session or db.session).execute(
        select(grouped.c.task_id, grouped.c.week, func.count()).group_by(
            grouped.c.task_id, grouped.c.week
        )
    )
    found: dict[int, dict[date, int]] = {}
    for task_id, index, n in rows:
        found.setdefault(task_id, {})[days[index]] = n
    return found
