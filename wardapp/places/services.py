"""Finding a unit's places nearest first, importing them from a spreadsheet, and taking over
the places the plan's tasks list. Everything here only flushes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from wardapp.core.spreadsheet import RowsRefused, SpreadsheetError, read_tables
from wardapp.core.text import clean_text
from wardapp.db import DbSession as Session
from wardapp.places.geo import distance_m
from wardapp.places.models import PLACE_KINDS, Place
from wardapp.plans.models import Task, TaskUnit
from wardapp.units.models import Unit

KIND_WORDS = {
    "panel": "panel",
    "pano": "panel",
    "loudspeaker": "loudspeaker",
    "loa": "loudspeaker",
    "cum loa": "loudspeaker",
    "tram truyen thanh": "loudspeaker",
    "notice_board": "notice_board",
    "bang tin": "notice_board",
    "one_stop_desk": "one_stop_desk",
    "mot cua": "one_stop_desk",
    "bo phan mot cua": "one_stop_desk",
    "other": "other",
    "khac": "other",
}


def fold(text: str) -> str:
    """Lower case, without diacritics (đ as d): how a typed word is matched."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class Nearby:
    place: Place
    distance_m: float | None


def nearest(session: Session, unit_id: int, lat: float | None, lon: float | None) -> list[Nearby]:
    """The unit's active places, nearest first from (lat, lon); places without coordinates,
    or every place when there is no fix, follow by name."""
    places = session.scalars(
        select(Place).where(Place.unit_id == unit_id, Place.active).order_by(Place.name, Place.id)
    ).all()
    found = [
        Nearby(
            p,
            distance_m((lat, lon), (p.lat, p.lon))
            if lat is not None and lon is not None and p.lat is not None and p.lon is not None
            else None,
        )
        for p in places
    ]
    return sorted(found, key=lambda n: (n.distance_m is None, n.distance_m or 0.0))


def guess_kind(name: str) -> str:
    words = fold(name)
    if "pano" in words or "dai phan cach" in words or "cong chao" in words:
        return "panel"
    if "loa" in words.split() or "truyen thanh" in words:
        return "loudspeaker"
    if "bang tin" in words:
        return "notice_board"
    if "mot cua" in words:
        return "one_stop_desk"
    return "other"


def places_from_tasks(session: Session) -> int:
    """Each task's place list as places of every unit the task names, without coordinates;
    a unit's place of the same name is kept as it is. Returns how many were made."""
    made = 0
    existing = {(p.unit_id, p.name) for p in session.scalars(select(Place))}
    rows = session.execute(
        select(Task.places, TaskUnit.unit_id).join(TaskUnit, TaskUnit.task_id == Task.id)
    ).all()
    for names, unit_id in rows:
        for name in names or []:
            name = " ".join(str(name).split())[:200]
            if name and (unit_id, name) not in existing:
                session.add(Place(unit_id=unit_id, name=name, kind=guess_kind(name)))
                existing.add((unit_id, name))
                made += 1
    session.flush()
    return made


class PlaceImportError(RowsRefused):
    """Every problem found in the file, as (row number or None, Vietnamese message)."""


COLUMNS = ("unit", "name", "kind", "lat", "lon", "street")


def import_places(session: Session, path: Path) -> tuple[int, int]:
    """Places from a CSV or XLSX with the columns unit, name, kind, lat, lon, street. Every
    row is checked first; one bad row refuses the whole file. A unit's place of the same name
    is updated. Returns (made, updated)."""
    try:
        tables = read_tables(path)
    except SpreadsheetError as exc:
        raise PlaceImportError([(None, str(exc))]) from None
    header, rows = None, []
    for table in tables:
        for start, (_row, cells) in enumerate(table):
            names = [fold(c) for c in cells]
            if "unit" in names and "name" in names:
                header = {n: names.index(n) for n in COLUMNS if n in names}
                rows = table[start + 1 :]
                break
        if header is not None:
            break
    if header is None or not {"unit", "name", "lat", "lon"} <= header.keys():
        raise PlaceImportError(
            [(None, "không thấy hàng tiêu đề có các cột unit, name, kind, lat, lon, street")]
        )
    units = {u.code: u for u in session.scalars(select(Unit))}
    errors: list[tuple[int | None, str]] = []
    checked: list[tuple[Unit, str, str, float, float, str]] = []
    seen: dict[tuple[int, str], int] = {}

    def cell(cells: list[str], column: str) -> str:
        index = header.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        unit = units.get(cell(cells, "unit").lower())
        name = " ".join(clean_text(cell(cells, "name")).split())
        kind = KIND_WORDS.get(fold(cell(cells, "kind")) or "other")
        lat, lon = _number(cell(cells, "lat"), -90, 90), _number(cell(cells, "lon"), -180, 180)
        bad = []
        if unit is None:
            bad.append(
                f'không có đơn vị mã "{cell(cells, "unit")}"'
                if cell(cells, "unit")
                else "thiếu mã đơn vị"
            )
        if not name:
            bad.append("thiếu tên địa điểm")
        elif len(name) > 200:
            bad.append("tên địa điểm dài quá 200 ký tự")
        if kind is None:
            bad.append(
                f'không hiểu loại "{cell(cells, "kind")}" (một trong: {", ".join(PLACE_KINDS)})'
            )
        if lat is None:
            bad.append(f'vĩ độ "{cell(cells, "lat")}" không hợp lệ')
        if lon is None:
            bad.append(f'kinh độ "{cell(cells, "lon")}" không hợp lệ')
        if unit is not None and name:
            first = seen.setdefault((unit.id, name), number)
            if first != number:
                bad.append(f"trùng với dòng {first}")
        errors += [(number, message) for message in bad]
        if not bad:
            assert unit is not None and kind is not None and lat is not None and lon is not None
            street = " ".join(clean_text(cell(cells, "street")).split())[:200]
            checked.append((unit, name, kind, lat, lon, street))
    if errors:
        raise PlaceImportError(errors)
    if not checked:
        raise PlaceImportError([(None, "tệp không có địa điểm nào")])
    existing = {(p.unit_id, p.name): p for p in session.scalars(select(Place))}
    made = updated = 0
    for unit, name, kind, lat, lon, street in checked:
        place = existing.get((unit.id, name))
        if place is None:
            session.add(
                Place(unit_id=unit.id, name=name, kind=kind, lat=lat, lon=lon, street=street)
            )
            made += 1
        else:
            place.kind, place.lat, place.lon, place.street, place.active = (
                kind,
                lat,
                lon,
                street,
                True,
            )
            updated += 1
    session.flush()
    return made, updated


def _number(raw: str, low: float, high: float) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text or not all(c.isascii() for c in text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high and value == value else None
