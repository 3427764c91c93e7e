"""Checking that the database and the file store agree, and mending what can be mended.

A request that fails between storing files and committing its rows (a lock timeout, a full
disk, a lost race, a killed worker) leaves files nothing points at: it never deletes them
itself, because its files are named by their bytes and another request with the same bytes
may be about to commit a row naming them. Removing them is left to this check, which takes
each old orphan out of reach and looks again before deleting it (see
``Storage.remove_orphans``). A lost disk can leave rows pointing at nothing.
"""

import time
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from wardapp.evidence.copies import remake
from wardapp.evidence.models import Media
from wardapp.extensions import db
from wardapp.jobs.models import Job
from wardapp.media import Storage

GRACE_SECONDS = 3600  # files younger than this may belong to an upload still in flight
BATCH = 500  # orphans checked again per query


@dataclass
class Report:
    orphans: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # orphans still unused when removed
    missing: list[tuple[int, str, str]] = field(default_factory=list)  # media id, variant, key
    regenerated: list[int] = field(default_factory=list)
    unrecoverable: list[int] = field(default_factory=list)
    temporaries_removed: int = 0

    @property
    def clean(self) -> bool:
        return not (self.orphans or self.missing)


def check(
    store: Storage,
    *,
    repair: bool,
    max_pixels: int,
    now: float | None = None,
    grace: float = GRACE_SECONDS,
) -> Report:
    now = time.time() if now is None else now
    report = Report()
    referenced: set[str] = set()
    # One listing of the store (in a bucket, a thousand keys a request, not a HEAD a file),
    # before the rows are read: a file stored since is confirmed one by one below, and an
    # orphan found here is looked at again before it goes (Storage.remove_orphans).
    stored = dict(store.iter_entries())
    for media in db.session.scalars(select(Media).order_by(Media.id)):
        keys = {
            "original": media.original_key,
            "display": media.display_key,
            "thumb": media.thumb_key,
        }
        referenced.update(k for k in keys.values() if k)
        lost = [(v, k) for v, k in keys.items() if k and k not in stored and not store.exists(k)]
        report.missing.extend((media.id, v, k) for v, k in lost)
        if lost and repair:
            _mend(store, media, dict(lost), report, max_pixels)
    # A finished job's file (an export kept for download) is named by its job row.
    referenced.update(db.session.scalars(select(Job.result_key).where(Job.result_key.is_not(None))))
    for key, modified in stored.items():
        if key not in referenced and modified < now - grace:
            report.orphans.append(key)
    if repair:
        for start in range(0, len(report.orphans), BATCH):
            report.removed += store.remove_orphans(
                report.orphans[start : start + BATCH],
                older_than=now - grace,
                still_named=named_by_rows,
            )
        report.temporaries_removed = store.remove_stale_temporaries(now - grace)
    return report


def named_by_rows(keys: list[str]) -> set[str]:
    """Those of ``keys`` that some Media row names now (read afresh, not from the scan)."""
    query = select(Media.original_key, Media.display_key, Media.thumb_key).where(
        or_(Media.original_key.in_(keys), Media.display_key.in_(keys), Media.thumb_key.in_(keys))
    )
    with db.engine.connect() as fresh:  # its own snapshot: rows committed since the scan count
        rows = fresh.execute(query).all()
        results = fresh.scalars(select(Job.result_key).where(Job.result_key.in_(keys)))
        named = {key for key in results if key}
    return {key for row in rows for key in row if key in keys} | named


def _mend(
    store: Storage, media: Media, lost: dict[str, str], report: Report, max_pixels: int
) -> None:
    """Copies are made again from the original; a lost original cannot come back."""
    if "original" in lost or not remake(store, media, max_pixels):
        report.unrecoverable.append(media.id)
        return
    report.regenerated.append(media.id)
