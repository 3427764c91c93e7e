"""A plan as the appendix table it came from (XLSX), which the import reads back unchanged;
the blank table to fill in; a plan copied to a new year through the units' merges."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from wardapp.audit.services import record
from wardapp.core.text import export_safe
from wardapp.db import DbSession
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.plans.seed import load_shipped_plan
from wardapp.plans.unit_names import UnitIndex
from wardapp.plans.vocabulary import parse_when
from wardapp.units.models import Unit

HEADINGS = (
    "TT",
    "Nội dung, nhiệm vụ",
    "Tên ngắn",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Minh chứng",
    "Địa điểm",
    "Ghi chú",
)
WIDTHS = (6, 60, 30, 30, 30, 22, 22, 30, 20)
# One word per kind that the import's "Minh chứng" column reads as that kind and no other.
KIND_WORDS = {
    "site_photo": "Ảnh hiện trường",
    "broadcast": "Truyền thanh",
    "meeting": "Hội nghị",
    "publication": "Tin bài",
    "procedure_update": "Cập nhật TTHC",
}
WHEN_WORDS = {"weekly": "Hằng tuần", "per_period": "Thường xuyên", "on_change": "Khi có thay đổi"}


class PlanCopyError(ValueError):
    """The copy cannot be made; the message says why, in Vietnamese."""


def _cell(text: str) -> str:
    text = export_safe(text or "")
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def _units_text(text: str, wanted: list[int], index: UnitIndex, names: dict[int, str]) -> str:
    """The plan's own words where they still name exactly these units, else their names."""
    found, unknown = index.resolve(text) if text else ([], [""])
    if not unknown and sorted(found) == sorted(wanted):
        return text
    return "; ".join(names[u] for u in wanted)


def _when(task: Task, year: int) -> str:
    if task.when_text and parse_when(task.when_text, year) == (task.rule, task.deadline):
        return task.when_text
    if task.rule == "deadline" and task.deadline:
        return f"{task.deadline:%d/%m/%Y}"
    return WHEN_WORDS.get(task.rule, task.when_text)


def _workbook(rows: list[list[str | int]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADINGS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_xlsx(session: DbSession, plan: Plan) -> bytes:
    """The plan's tasks in force as the appendix table, one row a task."""
    units = list(session.scalars(select(Unit)))
    names = {u.id: u.name for u in units}
    index = UnitIndex([u for u in units if u.active], load_shipped_plan())
    rows: list[list[str | int]] = []
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.retired.is_(False)).order_by(Task.number)
    )
    for task in tasks:
        leads = [a.unit_id for a in task.assignments if a.role == "lead"]
        coordinating = [a.unit_id for a in task.assignments if a.role != "lead"]
        coordinating_text = _units_text(task.coordinating_text, coordinating, index, names)
        if not coordinating:
            coordinating_text = ""
        rows.append(
            [
                task.number,
                _cell(task.text),
                _cell(task.short_title),
                _cell(_units_text(task.lead_text, leads, index, names)),
                _cell(coordinating_text),
                _cell(_when(task, plan.year)),
                "; ".join(KIND_WORDS[k] for k in task.kinds if k in KIND_WORDS),
                _cell("; ".join(task.places)),
                _cell(task.notes),
            ]
        )
    return _workbook(rows, plan.title)


def blank_xlsx() -> bytes:
    """The appendix table with its header and one example row, to fill in."""
    example: list[str | int] = [
        1,
        "Treo băng rôn, khẩu hiệu tuyên truyền cải cách hành chính",
        "",
        "UBND các phường, xã",
        "Phòng Văn hóa và Thông tin",
        "Quý II",
        "Ảnh hiện trường",
        "Cổng chào; Bộ phận một cửa",
        "Dòng mẫu: xóa trước khi nhập",
    ]
    return _workbook([example], "Phụ lục: nhiệm vụ của kế hoạch")


def successor(unit: Unit) -> Unit:
    """The unit that carries on ``unit`` today: itself, or what it was merged into, and on."""
    seen = {unit.id}
    while unit.merged_into is not None and unit.merged_into.id not in seen:
        unit = unit.merged_into
        seen.add(unit.id)
    return unit


def _shifted(day: date | None, year: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def copy_plan(
    session: DbSession,
    actor,
    plan: Plan,
    *,
    year: int,
    number: str | None,
    decision_date: date | None,
    title: str | None,
) -> Plan:
    """The plan again for ``year``: every task in force, its rule and scoring carried over,
    deadlines moved to the same day of the new year, each unit replaced by the unit that
    carries it on after its merges (a unit deactivated by hand is left out). Flush only."""
    if session.scalar(select(Plan.id).where(Plan.year == year, Plan.city == plan.city)):
        raise PlanCopyError(f"Đã có kế hoạch năm {year} của {plan.city}.")
    copy = Plan(
        year=year,
        city=plan.city,
        number=(number or "").strip() or None,
        decision_date=decision_date,
        title=(title or "").strip() or plan.title.replace(str(plan.year), str(year)),
        issuer=plan.issuer,
        active=True,
    )
    session.add(copy)
    mapped: dict[int, int] = {}
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.retired.is_(False)).order_by(Task.number)
    )
    for task in tasks:
        new = Task(
            number=task.number,
            text=task.text,
            short_title=task.short_title,
            lead_text=task.lead_text,
            coordinating_text=task.coordinating_text,
            when_text=task.when_text,
            kinds=list(task.kinds),
            rule=task.rule,
            deadline=_shifted(task.deadline, year),
            min_count=task.min_count,
            period=task.period,
            places=list(task.places),
            notes=task.notes,
        )
        by_unit: dict[int, TaskUnit] = {}
        for a in sorted(task.assignments, key=lambda a: a.role != "lead"):
            unit = successor(a.unit)
            if not unit.active:
                continue
            if a.unit_id != unit.id:
                mapped[a.unit_id] = unit.id
            held = by_unit.get(unit.id)
            if held is None:
                by_unit[unit.id] = TaskUnit(unit_id=unit.id, role=a.role, scored=a.scored)
            else:
                held.scored = held.scored or a.scored
        new.assignments = list(by_unit.values())
        copy.tasks.append(new)
    session.flush()
    record(
        actor,
        "plan.copy",
        copy,
        from_plan=plan.id,
        year=year,
        tasks=len(copy.tasks),
        units_mapped={str(k): v for k, v in mapped.items()},
    )
    return copy
