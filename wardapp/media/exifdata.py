"""What a reviewer needs from a photo's EXIF: when and where it was taken, and which way is up.

Camera EXIF is messy: times without a zone, zeroed fields when the camera had no clock or
fix, rationals with a zero denominator. Anything that does not make sense is read as
"unknown" (None) rather than guessed, because a wrong time or place would raise a false
warning for the reviewer, and an unknown one only a softer "no EXIF" note.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from PIL import Image

_ORIENTATION = 0x0112
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
# (time tag, offset tag): when the shutter fired, then when the photo was digitised.
_TIME_TAGS = ((0x9003, 0x9011), (0x9004, 0x9012))
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@cache
def vietnam_time() -> tzinfo:
    """Asia/Ho_Chi_Minh, loaded on first use rather than at import (it reads tzdata)."""
    return ZoneInfo("Asia/Ho_Chi_Minh")


def orientation(exif: Image.Exif) -> int:
    """EXIF orientation 1–8; 1 (as stored) when absent or out of range."""
    value = exif.get(_ORIENTATION)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 ") if value is not None else ""


def _offset(value: object) -> timezone | None:
    match = _OFFSET.match(_text(value))
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14):
        return None
    return timezone(-delta if sign == "-" else delta)


def taken_at(exif: Image.Exif, default_tz: tzinfo | None = None) -> datetime | None:
    """When the photo was taken, as an aware datetime.

    Cameras write local wall time; OffsetTimeOriginal (EXIF 2.31) says which zone. Without
    it the time is read in ``default_tz`` (the city's zone), where these phones live.
    """
    ifd = exif.get_ifd(_EXIF_IFD)
    for time_tag, offset_tag in _TIME_TAGS:
        text = _text(ifd.get(time_tag))[:19]
        try:
            moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue  # missing, or "0000:00:00 00:00:00" from a camera without a clock
        zone = _offset(ifd.get(offset_tag)) or default_tz or vietnam_time()
        return moment.replace(tzinfo=zone)
    return None


def _degrees(value: object) -> float | None:
    """Degrees, minutes, seconds as rationals; a zero denominator reads as NaN in Pillow."""
    if not isinstance(value, Iterable):  # a lone number, or nothing
        return None
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or len(parts) > 3 or not all(math.isfinite(p) and p >= 0 for p in parts):
        return None
    parts += [0.0] * (3 - len(parts))
    return parts[0] + parts[1] / 60 + parts[2] / 3600


def gps(exif: Image.Exif) -> tuple[float, float] | None:
    """(latitude, longitude) in signed decimal degrees: south and west are negative."""
    ifd = exif.get_ifd(_GPS_IFD)
    lat, lon = _degrees(ifd.get(_GPS_LAT)), _degrees(ifd.get(_GPS_LON))
    lat_ref, lon_ref = _text(ifd.get(_GPS_LAT_REF)).upper(), _text(ifd.get(_GPS_LON_REF)).upper()
    if lat is None or lon is None or lat_ref not in ("N", "S") or lon_ref not in ("E", "W"):
        return None
    if lat > 90 or lon > 180 or (lat == 0 and lon == 0):  # 0,0: a phone that had no fix
        return None
    return (-lat if lat_ref == "S" else lat, -lon if lon_ref == "W" else lon)
