"""The queue as a query: filters from the URL, keyset pages, counts per status.

Pages are cut by the order key of the last row shown, never by OFFSET, so a deep page costs
what the first one does. The key is (created_at, id): oldest submission first, so nothing
waits forever. With a date range it is (occurred_at, id) instead: the reviewer asked about
when things happened, and that order is the one an index can walk inside the range, where
walking by submission time could read the whole table to find one week's rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import Select, false, func, select, tuple_
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from wardapp.core import dates
from wardapp.core.i18n import city_tz
from wardapp.evidence.models import EVIDENCE_KINDS, STATUSES, Evidence, Media
from wardapp.evidence.permissions import visible
from wardapp.extensions import db
from wardapp.media import phash_distance
from wardapp.review.unit_choice import UnitChoice, find_units, unit_choices

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
COUNT_CAP = 999


@dataclass
class Filters:
    task_id: int | None = None
    unit_id: int | None = None
    kind: str | None = None
    status: str = "submitted"  # "all" for every status
    date_from: date | None = None
    date_to: date | None = None
    warnings: bool = False
    unit_name: str | None = None  # typed where the units are too many to list
    _matches: list[UnitChoice] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_args(cls, args) -> "Filters":
        status = args.get("status", "submitted")
        return cls(
            task_id=args.get("task", type=int),
            unit_id=args.get("unit", type=int),
            kind=args.get("kind") if args.get("kind") in EVIDENCE_KINDS else None,
            status=status if status in STATUSES or status == "all" else "submitted",
            date_from=dates.parse_day(args.get("from")),
            date_to=dates.parse_day(args.get("to")),
            warnings=args.get("warnings") in ("1", "on", "true"),
            unit_name=(args.get("unit_name") or "").strip()[:100] or None,
        )

    def as_args(self, **override) -> dict:
        """The filters as URL arguments (for links, bookmarks and Zalo), empty ones left out."""
        values = {
            "task": self.task_id,
            "unit": self.unit_id,
            "kind": self.kind,
            "status": self.status,
            "from": self.date_from and self.date_from.isoformat(),
            "to": self.date_to and self.date_to.isoformat(),
            "warnings": "1" if self.warnings else None,
            "unit_name": self.unit_name,
            **override,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}

    def unit_matches(self, user) -> list[UnitChoice]:
        """The units a typed name matches (see ``unit_choice``); exactly one becomes the
        filter's unit. Looked up once per request."""
        if self.unit_id or not self.unit_name:
            return []
        if self._matches is None:
            self._matches = find_units(unit_choices(user) or [], self.unit_name)
            if len(self._matches) == 1:
                self.unit_id = self._matches[0].id
        return self._matches

    def query_string(self, **override) -> str:
        return urlencode(self.as_args(**override))

    @property
    def by_occurrence(self) -> bool:
        """A date range orders the list by when things happened (see the module's note)."""
        return bool(self.date_from or self.date_to)

    def order_key(self):
        return (Evidence.occurred_at if self.by_occurrence else Evidence.created_at), Evidence.id


@dataclass
class Page:
    items: list[Evidence]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)


def filtered(user, filters: Filters, *, with_status: bool = True) -> Select:
    query = visible(user)
    filters.unit_matches(user)
    if filters.unit_name and not filters.unit_id:  # no unit, or several: choose one first
        query = query.where(false())
    if filters.task_id:
        query = query.where(Evidence.task_id == filters.task_id)
    if filters.unit_id:
        query = query.where(Evidence.unit_id == filters.unit_id)
    if filters.kind:
        query = query.where(Evidence.kind == filters.kind)
    if filters.date_from:
        query = query.where(Evidence.occurred_at >= _local_start(filters.date_from))
    if filters.date_to:
        query = query.where(
            Evidence.occurred_at < _local_start(filters.date_to + timedelta(days=1))
        )
    if filters.warnings:
        query = query.where(Evidence.has_warnings.is_(True))
    if with_status and filters.status != "all":
        query = query.where(Evidence.status == filters.status)
    return query


def page(user, filters: Filters, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """Oldest first, so nothing waits forever; ``cursor`` is where the last page stopped."""
    query = filtered(user, filters).options(
        joinedload(Evidence.task),
        joinedload(Evidence.unit),
        joinedload(Evidence.submitted_by),
        selectinload(Evidence.media),
    )
    key = filters.order_key()
    after = _cursor(cursor)
    if after:
        query = query.where(tuple_(*key) > after)
    rows = db.session.scalars(query.order_by(*key).limit(size + 1)).unique().all()
    items = list(rows[:size])
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = f"{getattr(last, key[0].key).timestamp():.6f}_{last.id}"
    return Page(items, next_cursor)


@dataclass(frozen=True)
class Count:
    """How many rows a status holds, counted up to a cap: past it the page says "999+"."""

    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value}+" if self.capped else str(self.value)


def status_counts(user, filters: Filters) -> dict[str, Count]:
    """One bounded count per status: the cost stays the same at 2,000 rows or 2,000,000."""
    base = filtered(user, filters, with_status=False)
    counts = {}
    for status in ("submitted", "approved", "returned"):
        limited = (
            base.where(Evidence.status == status)
            .with_only_columns(Evidence.id)
            .order_by(None)
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        found = db.session.execute(select(func.count()).select_from(limited)).scalar_one()
        counts[status] = Count(min(found, COUNT_CAP), found > COUNT_CAP)
    counts["all"] = Count(
        sum(c.value for c in counts.values()), any(c.capped for c in counts.values())
    )
    return counts


def history(items: list[Evidence]) -> dict[int, list[Evidence]]:
    """For each item, the returned versions it corrects, newest first (one query per level)."""
    chains: dict[int, list[Evidence]] = {e.id: [] for e in items}
    wanted = {e.supersedes_id: e.id for e in items if e.supersedes_id}
    while wanted:
        older = db.session.scalars(select(Evidence).where(Evidence.id.in_(wanted))).all()
        next_wanted = {}
        for old in older:
            owner = wanted[old.id]
            chains[owner].append(old)
            if old.supersedes_id and old.supersedes_id not in chains:
                next_wanted[old.supersedes_id] = owner
        wanted = next_wanted
    return chains


def _cursor(raw: str | None):
    try:
        stamp, ident = (raw or "").split("_")
        moment, row = datetime.fromtimestamp(float(stamp), city_tz()), int(ident)
    except (ValueError, OverflowError, OSError):  # "nan", "1e400": a mangled link, page one
        return None
    return (moment, row) if dates.in_range(moment.date()) else None  # none of ours is in year 1


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=city_tz())


PHOTO_MATCH_CODES = ("duplicate_photo", "similar_photo")


def photo_pairs(user, items: list[Evidence]) -> dict[tuple[int, int], tuple[Media, Media]]:
    """For each (item, earlier item) of a duplicate or near-duplicate warning the user may
    see, the two photos to put side by side: the item's photo and the earlier one that match
    best (the same bytes, else the nearest picture). One query for the whole page."""
    wanted = {
        (e.id, w["evidence_id"])
        for e in items
        for w in e.warnings or []
        if w.get("code") in PHOTO_MATCH_CODES and w.get("evidence_id")
    }
    if not wanted:
        return {}
    earlier = {
        e.id: e
        for e in db.session.scalars(
            visible(user)
            .where(Evidence.id.in_({other for _, other in wanted}))
            .options(selectinload(Evidence.media))
        )
    }
    mine = {e.id: e for e in items}
    pairs = {}
    for item_id, other_id in wanted:
        other = earlier.get(other_id)
        if other is None:
            continue
        ours = [m for m in mine[item_id].media if m.thumb_key]
        theirs = [m for m in other.media if m.thumb_key]
        if ours and theirs:
            pairs[(item_id, other_id)] = min(
                ((a, b) for a in ours for b in theirs), key=lambda pair: _unlike(*pair)
            )
    return pairs


def _unlike(a: Media, b: Media) -> int:
    if a.sha256 == b.sha256:
        return -1
    if a.phash and b.phash:
        return phash_distance(a.phash, b.phash)
    return 65


def filters_of(path: str | None) -> Filters:
    """The filters of the queue a form was sent from (its ``next``), for the counts."""
    return Filters.from_args(MultiDict(parse_qsl(urlsplit(path or "").query)))
