"""Photos of one task across units, newest first, a screenful at a time."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.review.queue import Filters, filtered

TILES = 60


@dataclass
class Gallery:
    tiles: list[Media]
    next_after: int | None


def photos(user, filters: Filters, after: int | None) -> Gallery:
    evidence = filtered(user, filters).with_only_columns(Evidence.id).subquery()
    query = (
        select(Media)
        .join(evidence, Media.evidence_id == evidence.c.id)
        .where(Media.role == "photo")
        .options(
            joinedload(Media.evidence).joinedload(Evidence.unit),
            joinedload(Media.evidence).joinedload(Evidence.task),
        )
        .order_by(Media.id.desc())
        .limit(TILES + 1)
    )
    if after:
        query = query.where(Media.id < after)
    rows = db.session.scalars(query).unique().all()
    tiles = list(rows[:TILES])
    return Gallery(tiles, tiles[-1].id if len(rows) > TILES else None)
