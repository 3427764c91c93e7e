"""Import a new year's plan from a spreadsheet laid out like the plan's appendix.

Admins get next year's plan as a table (TT | Nội dung, nhiệm vụ | Cơ quan chủ trì | Cơ quan
phối hợp | Thời gian thực hiện [| Minh chứng] [| Ghi chú]), not as code. Every row is checked
before anything is written, and every problem is reported with the row number the admin sees
in Excel, so one round of fixes is enough and a half-loaded plan never exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from wardapp.core.spreadsheet import RowsRefused, SpreadsheetError, Table, clean, read_tables
from wardapp.core.text import fold
from wardapp.db import DbSession
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.plans.seed import load_shipped_plan
from wardapp.plans.unit_names import UnitIndex
from wardapp.plans.vocabulary import parse_kinds, parse_when, short_title
from wardapp.units.models import Unit

# Each column of the appendix and how its heading reads, folded; the first match wins, so
# "Nội dung, nhiệm vụ" is the text although "nhiệm vụ" could be part of another heading.
COLUMNS = (
    ("number", lambda heading: heading in ("tt", "stt", "so tt")),
    ("lead", lambda heading: "chu tri" in heading),
    ("coordinating", lambda heading: "phoi hop" in heading),
    ("when", lambda heading: "thoi gian" in heading),
    ("kinds", lambda heading: "minh chung" in heading),
    ("notes", lambda heading: "ghi chu" in heading),
    # Written by the app's own export (plans/appendix.py), read back when present.
    ("short_title", lambda heading: heading == "ten ngan"),
    ("places", lambda heading: heading in ("dia diem", "dia diem goi y")),
    ("text", lambda heading: "noi dung" in heading or "nhiem vu" in heading),
)
REQUIRED_COLUMNS = {"number", "text", "lead", "when"}
NUMBER = re.compile(r"(\d+)\.?")


class PlanImportError(RowsRefused):
    """Every problem found in the file, as (row number or None, Vietnamese message)."""


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Where each column is, if this row is the table's header; None for any other row."""
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        heading = " ".join(fold(cell).replace(",", " ").split())
        column = next((name for name, reads in COLUMNS if reads(heading)), None)
        if column and column not in found:
            found[column] = position
    return found if REQUIRED_COLUMNS <= found.keys() else None


@dataclass
class TaskRow:
    """One task of the appendix, checked: what the plan says and which units it names."""

    row: int  # as the spreadsheet numbers it
    number: int
    text: str
    lead_text: str
    coordinating_text: str
    when_text: str
    rule: str
    deadline: date | None
    kinds: list[str]
    notes: str
    leads: list[int]
    coordinating: list[int]
    short_title: str = ""
    places: list[str] = field(default_factory=list)


def check_row(
    row: int,
    cells: dict[str, str],
    units: UnitIndex,
    year: int,
    errors: list[tuple[int | None, str]],
) -> TaskRow | None:
    """One data row, checked; each of its problems goes to ``errors``."""
    found_before = len(errors)
    number = NUMBER.fullmatch(cells["number"])
    if not number:
        errors.append(
            (row, f'số TT "{cells["number"]}" không hợp lệ' if cells["number"] else "thiếu số TT")
        )
    if not cells["text"]:
        errors.append((row, "thiếu nội dung nhiệm vụ"))
    named: dict[str, list[int]] = {}
    for column in ("lead", "coordinating"):
        named[column], unknown = units.resolve(cells[column])
        errors += [(row, f'không tìm thấy đơn vị "{name}"') for name in unknown]
    if not cells["lead"]:
        errors.append((row, "thiếu cơ quan chủ trì"))
    rule = parse_when(cells["when"], year)
    if rule is None:
        errors.append(
            (
                row,
                f'không hiểu thời gian thực hiện "{cells["when"]}"'
                if cells["when"]
                else "thiếu thời gian thực hiện",
            )
        )
    kinds, unread = parse_kinds(cells["kinds"], cells["text"])
    errors += [(row, f'không hiểu loại minh chứng "{word}"') for word in unread]
    if not kinds and not unread and cells["text"]:
        errors.append((row, 'không xác định được loại minh chứng: thêm cột "Minh chứng"'))
    if len(errors) > found_before or number is None or rule is None:
        return None
    return TaskRow(
        row=row,
        number=int(number[1]),
        text=cells["text"],
        lead_text=cells["lead"],
        coordinating_text=cells["coordinating"],
        when_text=cells["when"],
        rule=rule[0],
        deadline=rule[1],
        kinds=kinds,
        notes=cells["notes"],
        short_title=cells["short_title"],
        places=[p.strip() for p in cells["places"].split(";") if p.strip()],
        leads=named["lead"],
        coordinating=[u for u in named["coordinating"] if u not in named["lead"]],
    )


def _appendix(tables: list[Table]) -> tuple[Table, dict[str, int]]:
    """The rows from the header on, of the first table that has one, and its columns."""
    for table in tables:
        for start, (_row, cells) in enumerate(table):
            if columns := header_columns(cells):
                return table[start:], columns
    raise PlanImportError(
        [
            (
                None,
                "Không tìm thấy dòng tiêu đề: cần các cột TT, Nội dung, "
                "nhiệm vụ, Cơ quan chủ trì, Thời gian thực hiện.",
            )
        ]
    )


def read_rows(session: DbSession, path: Path, year: int) -> list[TaskRow]:
    """Every task row of the file, checked against the units in the database."""
    try:
        tables = read_tables(Path(path))
    except SpreadsheetError as exc:
        raise PlanImportError([(None, str(exc))]) from exc
    if not any(any(cells) for table in tables for _, cells in table):
        raise PlanImportError([(None, "Tệp rỗng: không có dòng nào.")])
    table, columns = _appendix(tables)
    units = UnitIndex(
        list(session.scalars(select(Unit).where(Unit.active.is_(True)))), load_shipped_plan()
    )
    errors: list[tuple[int | None, str]] = []
    rows: list[TaskRow] = []
    first_row_of: dict[int, int] = {}  # task number → the row that gave it
    for row, raw in table[1:]:
        if not any(raw) or header_columns(raw):  # blank, or the header again after a page break
            continue
        cells = {
            name: (raw[columns[name]] if name in columns and columns[name] < len(raw) else "")
            for name, _reads in COLUMNS
        }
        number = NUMBER.fullmatch(cells["number"])
        if number and int(number[1]) in first_row_of:
            errors.append(
                (
                    row,
                    f"số TT {int(number[1])} bị trùng "
                    f"(đã có ở dòng {first_row_of[int(number[1])]})",
                )
            )
        elif number:
            first_row_of[int(number[1])] = row
        checked = check_row(row, cells, units, year, errors)
        if checked and checked.number not in (r.number for r in rows):
            rows.append(checked)
    if not errors and not rows:
        errors.append((None, "Không có nhiệm vụ nào dưới dòng tiêu đề."))
    if errors:
        raise PlanImportError(errors)
    return rows


def import_plan(session: DbSession, path: Path, *, year: int, title: str | None, city: str) -> Plan:
    """Create the plan for (year, city) and its tasks from the file; flush, never commit.

    Raises PlanImportError with every problem, having written nothing, if any row is bad or
    the city already has a plan for that year (a plan is never overwritten by an import).
    """
    city = clean(city)
    title = clean(title) or f"Kế hoạch tuyên truyền cải cách hành chính nhà nước năm {year}"
    existing = session.scalar(select(Plan).where(Plan.year == year, Plan.city == city))
    try:
        rows = read_rows(session, path, year)
    except PlanImportError as exc:
        if existing is not None:
            exc.errors.insert(0, (None, f"Đã có kế hoạch năm {year} của {city}."))
        raise
    if existing is not None:
        raise PlanImportError([(None, f"Đã có kế hoạch năm {year} của {city}.")])
    plan = Plan(year=year, city=city, title=title, issuer=f"UBND thành phố {city}", active=True)
    session.add(plan)
    for row in sorted(rows, key=lambda r: r.number):
        task = Task(
            number=row.number,
            text=row.text,
            short_title=row.short_title or short_title(row.text),
            lead_text=row.lead_text,
            coordinating_text=row.coordinating_text,
            when_text=row.when_text,
            kinds=row.kinds,
            rule=row.rule,
            deadline=row.deadline,
            places=row.places,
            notes=row.notes,
        )
        task.assignments = [TaskUnit(unit_id=u, role="lead", scored=True) for u in row.leads] + [
            TaskUnit(unit_id=u, role="coordinating", scored=False) for u in row.coordinating
        ]
        plan.tasks.append(task)
    session.flush()
    return plan
