"""The near-copy hashes of photos stored before they were made (migration 0019).

A photo submitted since then keeps the perceptual hashes of its picture and of windows cropped
from it (``photo_hash``), by which a cropped, turned or mirrored copy finds it. An older photo
has only its dHash (``media.phash``), which finds a copy that is the same picture, nothing
more. ``flask wardapp hash-photos`` makes the missing rows from each photo's display copy, as
the submission would have (``nearcopy.stored_hashes``), a batch at a time, each batch committed:
safe to stop and run again, and to run while the app serves.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image
from sqlalchemy import exists, insert, select

from wardapp.evidence.models import Media, PhotoHash
from wardapp.extensions import db
from wardapp.media import nearcopy
from wardapp.media.storage import Storage

BATCH = 100


@dataclass
class HashReport:
    hashed: int = 0
    missing: list[int] = field(default_factory=list)  # media ids whose display copy is lost
    unreadable: list[int] = field(default_factory=list)  # a display copy that is no picture


def hash_stored_photos(
    store: Storage,
    *,
    max_pixels: int,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> HashReport:
    """Hash every photo that has a display copy and no ``photo_hash`` row yet."""
    report = HashReport()
    after = 0
    while True:
        found = db.session.execute(
            select(Media.id, Media.display_key)
            .where(
                Media.id > after,
                Media.display_key.is_not(None),
                ~exists().where(PhotoHash.media_id == Media.id),
            )
            .order_by(Media.id)
            .limit(batch)
        ).all()
        if not found:
            return report
        rows = []
        for media_id, key in found:
            assert key is not None  # the query asks for photos with a display copy
            try:
                values = _hashes(store, key, max_pixels)
            except FileNotFoundError:
                report.missing.append(media_id)
                continue
            except (OSError, ValueError):  # not a picture PIL reads, or past the pixel limit
                report.unreadable.append(media_id)
                continue
            rows += [{"media_id": media_id, **PhotoHash.columns(v)} for v in values]
            report.hashed += 1
        if rows:
            db.session.execute(insert(PhotoHash), rows)
        db.session.commit()
        after = found[-1].id
        if progress:
            progress(report.hashed)


def _hashes(store: Storage, key: str, max_pixels: int) -> list[str]:
    """The stored hashes of one display copy; FileNotFoundError when it is lost."""
    with store.open(key) as file:
        data = file.read()
    with Image.open(io.BytesIO(data)) as image:  # UnidentifiedImageError is an OSError
        if image.width * image.height > max_pixels:
            raise ValueError(f"{key}: more than {max_pixels} pixels")
        image.load()
        return nearcopy.stored_hashes(image)
