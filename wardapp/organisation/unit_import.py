"""Units from a spreadsheet: a province's list of wards, communes and agencies, checked whole.

Columns found by their headings: Tên đơn vị (name, required), Mã đơn vị (code; made from the
name when empty), Loại (phường, xã, cơ quan; else read from the name), Tên ngắn (short
name). One bad row refuses the file, with every bad row's number; a unit whose code exists
already is left as it is, so the same file run twice makes every unit once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from wardapp.auth.models import User
from wardapp.core.spreadsheet import SpreadsheetError, read_tables
from wardapp.core.text import fold
from wardapp.extensions import db
from wardapp.organisation import services
from wardapp.organisation.accounts import AccountImportError as UnitImportError
from wardapp.units.models import Unit
from wardapp.units.names import unit_code

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
COLUMNS = (
    ("code", ("ma don vi", "ma", "code")),
    ("short_name", ("ten ngan", "short name")),
    ("kind", ("loai", "loai don vi", "kind")),
    ("name", ("ten don vi", "ten", "name", "don vi")),
)
KINDS = {
    "phuong": "ward",
    "ward": "ward",
    "xa": "commune",
    "commune": "commune",
    "co quan": "agency",
    "agency": "agency",
    "phong": "agency",
}


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    short_name: str
    exists: bool


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        heading = " ".join(fold(cell).split())
        name = next((n for n, words in COLUMNS if heading in words), None)
        if name and name not in found:
            found[name] = position
    return found if "name" in found else None


def check_units_file(path: Path) -> list[UnitRow]:
    """Every row, checked; raises ``UnitImportError`` (row numbers and reasons)."""
    try:
        tables = read_tables(Path(path))
    except SpreadsheetError as exc:
        raise UnitImportError([(None, str(exc))]) from exc
    for table in tables:
        for start, (_n, cells) in enumerate(table):
            if columns := _header(cells):
                return _check(table[start + 1 :], columns)
    raise UnitImportError([(None, "Không tìm thấy dòng tiêu đề: cần cột Tên đơn vị.")])


def _check(table, columns: dict[str, int]) -> list[UnitRow]:
    existing = set(db.session.scalars(select(Unit.code)))
    errors: list[tuple[int | None, str]] = []
    rows: list[UnitRow] = []
    first_row_of: dict[str, int] = {}
    for row, raw in table:
        if not any(raw):
            continue
        cells = {
            n: raw[columns[n]] if n in columns and columns[n] < len(raw) else ""
            for n, _w in COLUMNS
        }
        before = len(errors)
        name = cells["name"]
        if not name:
            errors.append((row, "thiếu tên đơn vị"))
        elif len(name) > 200:
            errors.append((row, "tên đơn vị dài quá 200 ký tự"))
        code = cells["code"].strip().lower() or (unit_code(name) if name else "")
        if name and not CODE.fullmatch(code):
            errors.append((row, f'mã "{code[:64]}" chỉ gồm chữ thường không dấu, số, gạch ngang'))
        elif code in first_row_of:
            errors.append((row, f'mã "{code}" bị trùng (đã có ở dòng {first_row_of[code]})'))
        elif code:
            first_row_of[code] = row
        kind_word = " ".join(fold(cells["kind"]).split())
        kind = KINDS.get(kind_word) if kind_word else services.kind_from_name(name)
        if kind is None:
            errors.append((row, f'loại "{cells["kind"][:30]}" không hợp lệ (phường, xã, cơ quan)'))
        if len(errors) == before and kind is not None:
            rows.append(UnitRow(row, code, name, kind, cells["short_name"][:100], code in existing))
    if not errors and not rows:
        errors.append((None, "Không có đơn vị nào dưới dòng tiêu đề."))
    if errors:
        raise UnitImportError(errors)
    return rows


def make_units(actor: User | None, rows: list[UnitRow]) -> list[Unit]:
    made = []
    for row in rows:
        if row.exists or services.find_unit(row.code) is not None:
            continue
        made.append(
            services.create_unit(
                actor, name=row.name, kind=row.kind, code=row.code, short_name=row.short_name
            )
        )
    return made
