"""The units a reviewer may filter by: a list to pick from in a city, a name to type beyond.

A city's reviewer picks among 16 units in a ``<select>``; a province's or the country's
would scroll through hundreds or 3,321 (and every queue page would carry them all, 200 KB
and 100 ms of drawing). Past ``SELECT_MAX`` units the picker is a search box: the name is
matched with or without its diacritics ("tho xuong"); one match filters by that unit, several
are offered as links, none filters to nothing and says so.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from wardapp.core.text import fold
from wardapp.extensions import db
from wardapp.units.models import Unit

SELECT_MAX = 200
MATCHES_SHOWN = 20


class UnitChoice(NamedTuple):
    id: int
    name: str
    kind: str


def unit_choices(user, limit: int | None = None) -> list[UnitChoice] | None:
    """The active units the user may see, wards first, then communes, then agencies, by name
    (plain rows: a national list is 3,321 of them); None when there are more than ``limit``."""
    seen = user.seen_unit_ids
    query = select(Unit.id, Unit.name, Unit.kind).where(Unit.active.is_(True))
    if seen is not None:
        query = query.where(Unit.id.in_(seen))
    if limit is not None:
        query = query.limit(limit + 1)
    rows = [UnitChoice(*row) for row in db.session.execute(query)]
    if limit is not None and len(rows) > limit:
        return None
    rows.sort(key=lambda u: (u.kind != "ward", u.kind != "commune", u.name))
    return rows


def picker(user) -> list[UnitChoice] | None:
    """The units a ``<select>`` lists, or None when they are too many and the name is typed."""
    return unit_choices(user, SELECT_MAX)


def unit_name(unit_id: int | None) -> str:
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def find_units(choices: list[UnitChoice], typed: str) -> list[UnitChoice]:
    """The units whose name holds what was typed; a name typed whole matches it alone."""
    wanted = fold(" ".join(typed.split()))
    if not wanted:
        return []
    found = [u for u in choices if wanted in fold(u.name)]
    exact = [u for u in found if fold(u.name) == wanted]
    return exact if len(exact) == 1 else found
