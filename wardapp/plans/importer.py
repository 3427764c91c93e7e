"""Import a new year's plan from a spreadsheet laid out like the plan's appendix.

Admins get next year's plan as a table (TT | Nội dung, nhiệm vụ | Cơ quan chủ trì | Cơ quan
phối hợp | Thời gian thực hiện [| Minh chứng] [| Ghi chú]), not as code. Every row is checked
before anything is written, and every problem is reported with the row number the admin sees
in Excel, so one round of fixes is enough and a half-loaded plan never exists.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wardapp.plans.models import Plan, Task, TaskUnit, Unit
from wardapp.plans.services import fold, load_shipped_plan, parse_kinds, parse_when, short_title

Table = list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
AMBIGUOUS = frozenset({-1})
END = ""  # the trie's "a key ends here" slot; no token is empty
CITY_PHRASES = (
    "Các cơ quan, đơn vị thành phố",
    "Cơ quan, đơn vị thành phố",
    "Các cơ quan, đơn vị liên quan",
    "Cơ quan, đơn vị liên quan",
    "Các cơ quan, đơn vị",
    "Các cơ quan liên quan",
    "Các phòng, ban, đơn vị",
)
LOCAL_PHRASES = (
    "UBND phường, xã",
    "UBND các phường, xã",
    "UBND xã, phường",
    "UBND các xã, phường",
    "Các phường, xã",
    "Phường, xã",
)


class PlanImportError(Exception):
    """Every problem found in the file, as (row number or None, Vietnamese message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        self.errors = errors
        super().__init__(errors)

    def __str__(self) -> str:
        return "\n".join(self.messages)

    @property
    def messages(self) -> list[str]:
        return [f"Dòng {row}: {msg}" if row else msg for row, msg in self.errors]


def clean(value: object) -> str:
    """A cell as NFC text on one line; Excel's dates read back as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _tables(path: Path) -> list[Table]:
    """The file's candidate tables: one per worksheet, or one per CSV delimiter."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike
            raise PlanImportError([(None, f"Không đọc được tệp XLSX: {exc}")]) from exc
        try:
            tables = []
            for ws in wb.worksheets:
                rows: Table = []
                for cells in ws.iter_rows():
                    number = next((c.row for c in cells if getattr(c, "row", None)), None)
                    if number is not None:
                        rows.append((number, [clean(c.value) for c in cells]))
                tables.append(rows)
            return tables
        finally:
            wb.close()
    if suffix in (".csv", ".txt"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PlanImportError([(None, "Tệp CSV không phải mã UTF-8.")]) from exc
        return [
            [
                (n, [clean(c) for c in row])
                for n, row in enumerate(csv.reader(text.splitlines(), delimiter=d), start=1)
            ]
            for d in (";", ",", "\t")
        ]
    raise PlanImportError(
        [(None, f"Không hỗ trợ tệp {path.suffix or path.name}: chỉ nhận .xlsx hoặc .csv.")]
    )


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions if this row is the table's header, else None."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(cells):
        f = " ".join(fold(cell).replace(",", " ").split())
        role = (
            "tt"
            if f in ("tt", "stt", "so tt")
            else "lead"
            if "chu tri" in f
            else "coord"
            if "phoi hop" in f
            else "when"
            if "thoi gian" in f
            else "kinds"
            if "minh chung" in f
            else "notes"
            if "ghi chu" in f
            else "text"
            if "noi dung" in f or "nhiem vu" in f
            else None
        )
        if role and role not in cols:
            cols[role] = i
    return cols if {"tt", "text", "lead", "when"} <= cols.keys() else None


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of a unit text; ',' and ';' are tokens, '-' is not."""
    out = [(fold(m.group()), m.start(), m.end()) for m in re.finditer(r"[\w&]+|[,;]", text)]
    for i in range(len(out) - 3):  # "Ủy ban nhân dân" is written "UBND" as often as not
        if [w for w, _, _ in out[i : i + 4]] == ["uy", "ban", "nhan", "dan"]:
            out[i : i + 4] = [("ubnd", out[i][1], out[i + 3][2])]
    return out


class UnitIndex:
    """Finds the units a free-text cell names, longest known name first, so "Phòng Văn hóa
    và Thông tin" is one unit although "và" also separates units."""

    def __init__(self, units: list[Unit], shipped: dict):
        self.trie: dict = {}
        by_code = {u.code: u for u in units}
        for u in units:
            for key in (u.name, u.short_name, u.code.replace("-", " ")):
                self._add(key, frozenset({u.id}))
        for d in shipped.get("units", []):
            for alias in d.get("aliases", []) if d["code"] in by_code else []:
                self._add(alias, frozenset({by_code[d["code"]].id}))
        city = [
            by_code[d["code"]].id
            for d in shipped.get("units", [])
            if d.get("city_body") and d["code"] in by_code
        ]
        city = city or [u.id for u in units if u.kind == "agency"]
        for phrase in CITY_PHRASES:
            self._add(phrase, frozenset(city))
        for phrase in LOCAL_PHRASES:
            self._add(phrase, frozenset(u.id for u in units if u.is_local))
        self.order = {u.id: (not u.is_local, u.id) for u in units}

    def _add(self, phrase: str, ids: frozenset[int]) -> None:
        node = self.trie
        for word, _, _ in _words(phrase):
            if word not in ",;":
                node = node.setdefault(word, {})
        node[END] = ids if node.get(END, ids) == ids else AMBIGUOUS

    def _match(self, words: list[str], i: int) -> tuple[int, frozenset[int]] | None:
        """The longest key starting at ``i`` (commas inside a name are skipped)."""
        node, best = self.trie, None
        while i < len(words) and (words[i] == "," or words[i] in node):
            if words[i] != ",":
                node = node[words[i]]
                if END in node:
                    best = (i + 1, node[END])
            i += 1
        return best

    def resolve(self, text: str) -> tuple[list[int], list[str]]:
        """Unit ids the text names, and the parts of it that name no known unit."""
        toks = _words(text)
        words = [w for w, _, _ in toks]
        ids: list[int] = []
        unknown: list[str] = []
        i = 0
        while i < len(words):
            if words[i] in (",", ";", "va"):
                i += 1
                continue
            m = self._match(words, i) or (self._match(words, i + 1) if words[i] == "ubnd" else None)
            if m and m[1] is not AMBIGUOUS:
                ids += [x for x in sorted(m[1], key=self.order.get) if x not in ids]
                i = m[0] + (
                    2
                    if words[m[0] : m[0] + 2] == ["thanh", "pho"]
                    else 1
                    if words[m[0] : m[0] + 1] == ["tp"]
                    else 0
                )
                continue
            j = m[0] if m else i + 1
            while (
                j < len(words)
                and words[j] not in ",;"
                and not (words[j] == "va" and self._match(words, j + 1))
            ):
                j += 1
            unknown.append(text[toks[i][1] : toks[j - 1][2]])
            i = j
        return ids, unknown


@dataclass
class _Row:
    number: int
    tt: int
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


def _check_row(
    n: int, cells: dict[str, str], index: UnitIndex, year: int, errors: list[tuple[int | None, str]]
) -> _Row | None:
    """One data row, validated; its problems go to ``errors``."""
    before = len(errors)
    m = re.fullmatch(r"(\d+)\.?", cells["tt"])
    if not m:
        errors.append((n, f'số TT "{cells["tt"]}" không hợp lệ' if cells["tt"] else "thiếu số TT"))
    if not cells["text"]:
        errors.append((n, "thiếu nội dung nhiệm vụ"))
    units: dict[str, list[int]] = {}
    for col in ("lead", "coord"):
        units[col], unknown = index.resolve(cells[col])
        errors += [(n, f'không tìm thấy đơn vị "{u}"') for u in unknown]
    if not cells["lead"]:
        errors.append((n, "thiếu cơ quan chủ trì"))
    rule = parse_when(cells["when"], year)
    if rule is None:
        errors.append(
            (
                n,
                f'không hiểu thời gian thực hiện "{cells["when"]}"'
                if cells["when"]
                else "thiếu thời gian thực hiện",
            )
        )
    kinds, bad = parse_kinds(cells["kinds"], cells["text"])
    errors += [(n, f'không hiểu loại minh chứng "{b}"') for b in bad]
    if not kinds and not bad and cells["text"]:
        errors.append((n, 'không xác định được loại minh chứng: thêm cột "Minh chứng"'))
    if len(errors) > before or m is None or rule is None:
        return None
    return _Row(
        n,
        int(m[1]),
        cells["text"],
        cells["lead"],
        cells["coord"],
        cells["when"],
        rule[0],
        rule[1],
        kinds,
        cells["notes"],
        units["lead"],
        [u for u in units["coord"] if u not in units["lead"]],
    )


def read_rows(session: Session, path: Path, year: int) -> list[_Row]:
    """Every task row of the file, checked against the units in the database."""
    tables = _tables(Path(path))
    if not any(any(cells) for table in tables for _, cells in table):
        raise PlanImportError([(None, "Tệp rỗng: không có dòng nào.")])
    found = next(
        (
            (table[k:], cols)
            for table in tables
            for k, (_, cells) in enumerate(table)
            if (cols := _header(cells))
        ),
        None,
    )
    if found is None:
        raise PlanImportError(
            [
                (
                    None,
                    "Không tìm thấy dòng tiêu đề: cần các cột TT, Nội dung, "
                    "nhiệm vụ, Cơ quan chủ trì, Thời gian thực hiện.",
                )
            ]
        )
    table, cols = found
    units = list(session.scalars(select(Unit).where(Unit.active.is_(True))))
    index = UnitIndex(units, load_shipped_plan())
    errors: list[tuple[int | None, str]] = []
    rows: list[_Row] = []
    seen: dict[int, int] = {}
    for n, raw in table[1:]:
        if not any(raw) or _header(raw):  # blank, or the header repeated after a page break
            continue
        cells = {
            k: (raw[cols[k]] if k in cols and cols[k] < len(raw) else "")
            for k in ("tt", "text", "lead", "coord", "when", "kinds", "notes")
        }
        m = re.fullmatch(r"(\d+)\.?", cells["tt"])
        if m and int(m[1]) in seen:
            errors.append((n, f"số TT {int(m[1])} bị trùng (đã có ở dòng {seen[int(m[1])]})"))
        elif m:
            seen[int(m[1])] = n
        row = _check_row(n, cells, index, year, errors)
        if row and row.tt not in (r.tt for r in rows):
            rows.append(row)
    if not errors and not rows:
        errors.append((None, "Không có nhiệm vụ nào dưới dòng tiêu đề."))
    if errors:
        raise PlanImportError(errors)
    return rows


def import_plan(session: Session, path: Path, *, year: int, title: str | None, city: str) -> Plan:
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
    for r in sorted(rows, key=lambda r: r.tt):
        task = Task(
            number=r.tt,
            text=r.text,
            short_title=short_title(r.text),
            lead_text=r.lead_text,
            coordinating_text=r.coordinating_text,
            when_text=r.when_text,
            kinds=r.kinds,
            rule=r.rule,
            deadline=r.deadline,
            places=[],
            notes=r.notes,
        )
        task.assignments = [TaskUnit(unit_id=u, role="lead", scored=True) for u in r.leads] + [
            TaskUnit(unit_id=u, role="coordinating", scored=False) for u in r.coordinating
        ]
        plan.tasks.append(task)
    session.flush()
    return plan
