"""From uploaded files to stored bytes and Media rows, all or nothing.

Every file is checked and processed before the first byte is stored, so a refused request
stores nothing. If storing succeeds but the database write then fails (a lock timeout, a full
disk, a lost race), the files stay: they are named by their bytes, and a request carrying the
same bytes may already have found them there and be committing a row that names them.
``flask wardapp fsck --repair`` removes the ones no row names once they are an hour old.
"""

import errno
import json
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert

from wardapp.core.i18n import city_tz
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.models import Media, PhotoHash
from wardapp.evidence.schema import parse_float, parse_occurred_at
from wardapp.evidence.submission import RawFile, RawSubmission
from wardapp.extensions import db
from wardapp.media import MediaError, Upload, UploadLimits, inspect_uploads
from wardapp.media.app_store import storage
from wardapp.media.upload import Role as MediaRole


def check_files(raw: RawSubmission, *, max_files: int) -> list[Upload]:
    count = len(raw.photos) + len(raw.attachments)
    if count > max_files:
        raise SubmissionError(
            413, _("Gửi tối đa %(n)s tệp mỗi lần.", n=max_files), {"photo": _("Quá nhiều tệp.")}
        )
    groups: tuple[tuple[MediaRole, list[RawFile]], ...] = (
        ("photo", raw.photos),
        ("attachment", raw.attachments),
    )
    files = [(role, f.filename, f.data) for role, group in groups for f in group]
    try:
        uploads = inspect_uploads(
            files, UploadLimits.from_config(current_app.config), default_tz=city_tz()
        )
    except MediaError as exc:
        raise SubmissionError(
            exc.status, exc.message, {exc.field or "photo": exc.message}
        ) from None
    return uploads


def store_files(raw: RawSubmission, *, max_files: int) -> list[Media]:
    uploads = check_files(raw, max_files=max_files)
    phone_meta = _photo_meta(raw.form.get("photo_meta"))
    stored: list[Media] = []
    put = storage().put
    try:
        photo_index = 0
        for position, upload in enumerate(uploads):
            media = Media(
                role=upload.role,
                position=position,
                sha256=upload.sha256,
                content_type=upload.content_type,
                size=upload.size,
                original_name=upload.filename[:255],
                original_key=put(upload.data, upload.suffix),
            )
            if upload.photo is not None:
                photo = upload.photo
                meta = phone_meta[photo_index] if photo_index < len(phone_meta) else {}
                photo_index += 1
                media.width, media.height = photo.width, photo.height
                # Copies fsck can make again from the original: no need to wait for the disk.
                media.display_key = put(photo.display, ".jpg", durable=False)
                media.thumb_key = put(photo.thumb, ".jpg", durable=False)
                media.set_phash(photo.phash)
                media.new_copy_hashes = photo.copy_hashes  # rows once it has an id
                media.probe_hashes = photo.probe_hashes
                _set_time_and_place(media, photo.taken_at, photo.gps, meta)
            stored.append(media)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            current_app.logger.error("media disk full, submission refused: %s", exc)
            raise SubmissionError(
                507,
                _(
                    "Máy chủ tạm thời hết chỗ lưu tệp nên chưa lưu được "
                    "minh chứng này. Vui lòng gửi lại sau."
                ),
            ) from None
        raise
    return stored


def store_copy_hashes(media: list[Media]) -> None:
    """The ``photo_hash`` rows of photos just flushed, in one statement: as ORM objects, a
    photo's nineteen rows cost more to flush than the rest of the submission's rows."""
    rows = [
        {"media_id": m.id, **PhotoHash.columns(value)} for m in media for value in m.new_copy_hashes
    ]
    if rows:
        db.session.execute(insert(PhotoHash), rows)


def _set_time_and_place(media: Media, taken_at: datetime | None, gps, meta: dict) -> None:
    """EXIF the server read wins; what only the phone reported is kept, marked as such."""
    if taken_at is not None:
        media.taken_at, media.taken_at_source = taken_at, "exif"
    else:
        phone_time = parse_occurred_at(str(meta.get("taken_at") or ""), city_tz())
        if phone_time is not None:
            media.taken_at, media.taken_at_source = phone_time, "phone"
    if gps is not None:
        media.gps_lat, media.gps_lon, media.gps_source = gps[0], gps[1], "exif"
        media.place_source = "exif"
        return
    lat = parse_float(str(meta.get("lat", "")), -90, 90)
    lon = parse_float(str(meta.get("lon", "")), -180, 180)
    if lat is not None and lon is not None:  # the photo's GPS, read by the phone
        media.gps_lat, media.gps_lon, media.gps_source = lat, lon, "phone"
        media.place_source = "exif"
        return
    place = meta.get("place")
    lat = parse_float(str(meta.get("fix_lat", "")), -90, 90)
    lon = parse_float(str(meta.get("fix_lon", "")), -180, 180)
    if place in PHONE_PLACES and lat is not None and lon is not None:
        media.gps_lat, media.gps_lon, media.gps_source = lat, lon, "phone"
        media.place_source = place
    else:
        media.place_source = "none"


# The phone's fix as a photo's place: taken with the camera, or confirmed after a gallery pick.
PHONE_PLACES = ("capture", "later")


MAX_PHOTO_META = 64 * 1024  # a photo's time and place take under 200 bytes


def _photo_meta(raw: str | None) -> list[dict]:
    """``photo_meta`` as sent: one JSON object per photo (repeated field), or one JSON list.

    What the phone reports is a hint beside the server's own reading, so anything else is
    ignored, never refused: a value that is not JSON, an object nested deeper than a list of
    objects (JSON nested thousands deep would exhaust the parser's recursion), and any value
    of an object that is not a string or a number. A whole field past ``MAX_PHOTO_META`` is
    not read at all."""
    values = _json(raw) if raw and len(raw) <= MAX_PHOTO_META else None
    if values is None:
        return []
    out: list[dict] = []
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, str):
            value = _json(value)
        if isinstance(value, list):
            out.extend(_flat(v) for v in value)
        else:
            out.append(_flat(value))
    return out


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _flat(value) -> dict:
    """An object's plain values (the time and place a phone read), nothing nested."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, (str, int, float))}
