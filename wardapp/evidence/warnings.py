"""Signs a reviewer should look at twice, worked out once when evidence arrives.

Stored as codes with their facts (not sentences), so each page says them in its own
language: ``{"code": "duplicate_photo", "evidence_id": 12, "media_id": 40}``.
"""

import math
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from wardapp.core.i18n import city_tz, fmt_date, fmt_datetime
from wardapp.core.roles import Role
from wardapp.evidence.models import Evidence, Media, PhotoHash
from wardapp.extensions import db
from wardapp.media import nearcopy, phash_distance
from wardapp.media.app_store import storage
from wardapp.places.geo import distance_m
from wardapp.places.models import Place

SIMILAR_BITS = 6
CANDIDATE_ROWS = 400  # hash rows read per photo: the cost per submission stays bounded

MESSAGES = {
    "duplicate_photo": _l("Ảnh trùng với ảnh đã nộp ở minh chứng #%(evidence_id)s."),
    "similar_photo": _l("Ảnh gần giống ảnh đã nộp ở minh chứng #%(evidence_id)s."),
    # The same, to a viewer who may not see the earlier evidence (another unit's).
    "duplicate_photo_elsewhere": _l("Ảnh trùng với một ảnh đã được nộp trước đó."),
    "similar_photo_elsewhere": _l("Ảnh gần giống một ảnh đã được nộp trước đó."),
    "exif_time_far": _l("Ảnh chụp lúc %(taken)s, cách thời điểm báo cáo %(days)s ngày."),
    "outside_city": _l("Vị trí cách trung tâm thành phố %(km)s km, ngoài địa bàn."),
    "no_location": _l("Không có vị trí: ảnh không có GPS và điện thoại không gửi vị trí."),
    "outside_plan": _l(
        "Ngày thực hiện %(date)s ngoài kỳ kế hoạch năm %(year)s: minh chứng này không được tính."
    ),
    "sent_late": _l("Gửi muộn: %(days)s ngày sau ngày thực hiện."),
    "far_from_place": _l("Vị trí cách địa điểm “%(place)s” %(m)s m."),
}


def describe(warning: dict) -> str:
    code = str(warning.get("code"))
    if code in PHOTO_MATCHES and "evidence_id" not in warning:
        code = f"{code}_elsewhere"
    template = MESSAGES.get(code)
    if template is None:
        return str(warning.get("code"))
    return str(template) % {k: v for k, v in warning.items() if k != "code"}


PHOTO_MATCHES = ("duplicate_photo", "similar_photo")


def shown_to(user, warnings: list[dict]) -> list[dict]:
    """The warnings as ``user`` may read them: an officer learns that a photo was seen
    before, not which other unit's evidence holds it."""
    if user.role != Role.OFFICER:
        return list(warnings)
    others = {w["evidence_id"] for w in warnings if w.get("code") in PHOTO_MATCHES}
    own = (
        set(
            db.session.scalars(
                select(Evidence.id).where(Evidence.id.in_(others), Evidence.unit_id == user.unit_id)
            )
        )
        if others
        else set()
    )
    return [
        w
        if w.get("code") not in PHOTO_MATCHES or w.get("evidence_id") in own
        else {k: v for k, v in w.items() if k != "evidence_id"}
        for w in warnings
    ]


def warnings_for(evidence: Evidence) -> list[dict]:
    """Called before the evidence is stored: nothing of it is in the database yet."""
    found: list[dict] = []
    earlier = _earlier_versions(evidence)
    photos = [m for m in evidence.media if m.role == "photo"]
    for number, media in enumerate(photos, start=1):
        found.extend(dict(w, photo=number) for w in _duplicates(media, exclude=earlier))
    found.extend(_time_far(evidence, photos))
    found.extend(_dates(evidence))
    found.extend(_places(evidence, photos))
    found.extend(_far_from_place(evidence, photos))
    return found


def _far_from_place(evidence: Evidence, photos: list[Media]) -> list[dict]:
    """A photo or the phone's fix farther than ``PLACE_RADIUS_M`` from the chosen place."""
    place = db.session.get(Place, evidence.place_id) if evidence.place_id else None
    if place is None or place.lat is None or place.lon is None:
        return []
    points = [
        (m.gps_lat, m.gps_lon) for m in photos if m.gps_lat is not None and m.gps_lon is not None
    ]
    if evidence.lat is not None and evidence.lon is not None:
        points.append((evidence.lat, evidence.lon))
    if not points:
        return []
    far = max(distance_m((place.lat, place.lon), p) for p in points)
    if far <= current_app.config["PLACE_RADIUS_M"]:
        return []
    return [{"code": "far_from_place", "m": round(far), "place": place.name}]


def _dates(evidence: Evidence) -> list[dict]:
    """Dated outside the plan's year (it can never count), or sent long after the work."""
    found = []
    day = evidence.occurred_at.astimezone(city_tz()).date()
    if day.year != evidence.task.plan.year:
        found.append(
            {"code": "outside_plan", "date": fmt_date(day), "year": evidence.task.plan.year}
        )
    late = (
        (evidence.created_at - evidence.occurred_at) / timedelta(days=1)
        if evidence.created_at
        else 0
    )
    if late > current_app.config["LATE_AFTER_DAYS"]:
        found.append({"code": "sent_late", "days": int(late)})
    return found


def _earlier_versions(evidence: Evidence) -> set[int]:
    """The chain of returned evidence this one corrects: reusing their photos is expected."""
    ids, current = set(), evidence.supersedes_id
    while current and current not in ids:
        ids.add(current)
        current = db.session.scalar(select(Evidence.supersedes_id).where(Evidence.id == current))
    return ids


def _duplicates(media: Media, exclude: set[int]) -> list[dict]:
    same = db.session.execute(
        select(Media.id, Media.evidence_id)
        .where(Media.sha256 == media.sha256, Media.evidence_id.not_in(exclude))
        .order_by(Media.id)
        .limit(1)
    ).first()
    if same:
        return [{"code": "duplicate_photo", "evidence_id": same.evidence_id}]
    display_key = media.display_key
    if not display_key:
        return []
    probe = nearcopy.Probe(lambda: _work_image(display_key))
    try:
        # Made in process_photo when the photo was uploaded; from its display copy otherwise.
        probes = media.probe_hashes or tuple(nearcopy.probe_hashes(probe.work))
    except (OSError, ValueError):
        return []
    for candidate in _candidates(media, probes, exclude):
        try:
            stored = _work_image(candidate.display_key)
            verdict = nearcopy.same_photo(stored, probe)
        except (OSError, ValueError):  # a lost copy: fsck makes it again
            continue
        # Too little detail to line the two up (a flat wall): the hashes decide alone.
        if verdict or (verdict is None and candidate.bits <= SIMILAR_BITS):
            return [{"code": "similar_photo", "evidence_id": candidate.evidence_id}]
    return []


class _Candidate(NamedTuple):
    bits: int
    media_id: int
    evidence_id: int
    display_key: str


def _work_image(key: str):
    with storage().open(key) as file:
        return nearcopy.work_image(file.read())


def _candidates(media: Media, probes: tuple[str, ...], exclude: set[int]) -> list[_Candidate]:
    """The few stored photos nearest by hash, nearest first: found by band, by index, in the
    photo's every orientation (``photo_hash``), or by the older dHash of ``media.phash``."""
    best: dict[int, _Candidate] = {}

    def consider(row, bits: int) -> None:
        if row.display_key and (row.id not in best or bits < best[row.id].bits):
            best[row.id] = _Candidate(bits, row.id, row.evidence_id, row.display_key)

    probe_bands = [nearcopy.bands(value) for value in probes]
    columns = (PhotoHash.b0, PhotoHash.b1, PhotoHash.b2, PhotoHash.b3)
    rows = db.session.execute(
        select(Media.id, Media.evidence_id, Media.display_key, PhotoHash.value)
        .join(PhotoHash, PhotoHash.media_id == Media.id)
        .where(
            or_(*(col.in_({b[i] for b in probe_bands}) for i, col in enumerate(columns))),
            Media.evidence_id.not_in(exclude),
        )
        .order_by(PhotoHash.id)
        .limit(CANDIDATE_ROWS)
    ).all()
    for row in rows:
        bits = min(nearcopy.distance(row.value, value) for value in probes)
        if bits <= nearcopy.CANDIDATE_BITS:
            consider(row, bits)
    if media.phash and informative(media.phash):
        older = db.session.execute(
            select(Media.id, Media.evidence_id, Media.display_key, Media.phash)
            .where(
                or_(
                    Media.phash_b0 == media.phash_b0,
                    Media.phash_b1 == media.phash_b1,
                    Media.phash_b2 == media.phash_b2,
                    Media.phash_b3 == media.phash_b3,
                ),
                Media.evidence_id.not_in(exclude),
            )
            .order_by(Media.id)
            .limit(200)
        ).all()
        for old in older:
            bits = phash_distance(old.phash, media.phash) if old.phash else 64
            if bits <= SIMILAR_BITS:
                consider(old, bits)
    return sorted(best.values())[: nearcopy.MAX_CHECKS]


def informative(phash: str) -> bool:
    """A flat picture (a wall, a sheet of paper) hashes to nearly all zeros or ones, and every
    flat picture then looks "similar"; only hashes with enough edges are compared."""
    ones = int(phash, 16).bit_count()
    return 8 <= ones <= 56


def _time_far(evidence: Evidence, photos: list[Media]) -> list[dict]:
    tolerance = timedelta(hours=current_app.config["EXIF_TIME_TOLERANCE_HOURS"])
    for number, media in enumerate(photos, start=1):
        if media.taken_at and abs(media.taken_at - evidence.occurred_at) > tolerance:
            days = round(abs(media.taken_at - evidence.occurred_at) / timedelta(days=1))
            return [
                {
                    "code": "exif_time_far",
                    "photo": number,
                    "days": days,
                    "taken": fmt_datetime(media.taken_at),
                }
            ]
    return []


def _places(evidence: Evidence, photos: list[Media]) -> list[dict]:
    points = [
        (m.gps_lat, m.gps_lon) for m in photos if m.gps_lat is not None and m.gps_lon is not None
    ]
    if evidence.lat is not None and evidence.lon is not None:
        points.append((evidence.lat, evidence.lon))
    if not points:
        return [{"code": "no_location"}] if photos or evidence.kind == "site_photo" else []
    centre = current_app.config["CITY_CENTRE"]
    radius = current_app.config["CITY_RADIUS_KM"]
    far = max(distance_km(centre, p) for p in points)
    return [{"code": "outside_city", "km": round(far)}] if far > radius else []


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
