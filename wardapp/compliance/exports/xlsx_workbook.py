"""The quarter as an Excel workbook: the matrix, the evidence with links, a sheet per task.

openpyxl's write-only mode writes each row to a temporary file as it goes, so memory stays
flat for any number of items; the workbook is saved to a file the view then streams. The
evidence sheet's rows go through ``SplicedRows`` (see there: openpyxl's cells are too slow for a
national quarter). Links are ``HYPERLINK`` formulas rather than cell hyperlinks, which
openpyxl keeps in memory until the sheet is closed. Text a person typed is always text.
Every sheet is ready to print and to read: each column has a width, the header row is frozen,
filtered and repeated on each printed page, A4 landscape as wide as the page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import tzinfo
from operator import attrgetter
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from wardapp.compliance.exports.rows import (
    EVIDENCE_COLUMNS,
    EvidenceRow,
    Labels,
    Links,
    accepted_rows,
)
from wardapp.compliance.exports.xlsx_splice import Formula, SplicedRows
from wardapp.compliance.picture import Picture
from wardapp.compliance.rules import VERDICT_LABELS, VERDICTS, how_judged
from wardapp.core.i18n import fmt_date, fmt_datetime
from wardapp.core.text import export_safe

FILLS = {
    "met": "C6EFCE",
    "unmet": "FFC7CE",
    "pending": "FFEB9C",
    "explained": "DDE7F7",
    "unscored": "EDEDED",
}
OTHER_FILL = "DDEBF7"  # a verdict without a colour of its own
# The verdicts a unit's row counts in the summary: every verdict that says something.
COUNTED = tuple(v for v in VERDICTS if v != "unscored")
PHOTO_COLUMNS = 3
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
DATE_FORMAT = "dd/mm/yyyy hh:mm"
# Summary: the header row, under the title, the period, the note and the legend.
SUMMARY_HEAD = 6
# A task's sheet: the task, its text, how it is judged, a blank row, then the header.
TASK_HEAD = 5
TASK_COLUMNS = (
    # (heading, width)
    (_l("Đơn vị"), 24),
    (_l("Vai trò"), 11),
    (_l("Được chấm"), 11),
    (_l("Phải làm"), 10),
    (_l("Đã làm"), 9),
    (_l("Đã duyệt"), 10),
    (_l("Chờ duyệt"), 10),
    (_l("Trả lại"), 9),
    (_l("Kết quả"), 16),
    (_l("Còn thiếu"), 50),
    (_l("Vì sao không tính"), 40),
    (_l("Giải trình"), 50),
)
EXPLANATION_COLUMNS = (
    (_l("Mã"), 8),
    (_l("Đơn vị"), 24),
    (_l("Nhiệm vụ"), 9),
    (_l("Kỳ"), 10),
    (_l("Lý do"), 60),
    (_l("Chấp nhận lúc"), 17),
    (_l("Ghi chú của người duyệt"), 30),
)


def fill(verdict: str) -> PatternFill:
    return PatternFill("solid", fgColor=FILLS.get(verdict, OTHER_FILL))


def for_print(ws, head_row: int, freeze: str) -> None:
    """Ready to print and read: the header row frozen and printed on every page, A4
    landscape, as wide as the page (as many pages down as it takes). A write-only sheet
    writes its views and properties with its first row, so this comes before any row."""
    ws.freeze_panes = freeze
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_options.gridLines = True


def widths(ws, sizes) -> None:
    for index, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(index)].width = size


def text(ws, value, **style) -> WriteOnlyCell:
    """A cell that is text even when it starts with "=" (formula injection), and holds
    nothing a workbook cannot (see ``core.text``)."""
    if isinstance(value, str):
        value = export_safe(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def link(url: str, label: str) -> Formula:
    """A clickable link; the URL is ours (``url_for``), so it is safe inside a formula."""
    return Formula(f'HYPERLINK("{url}","{label}")')


def verdict_cell(ws, cell) -> WriteOnlyCell:
    if cell is None:
        return WriteOnlyCell(ws, value=None)
    return text(ws, f"{cell.ratio} {cell.verdict_label}", fill=fill(cell.verdict))


def write_summary(ws, picture: Picture, generated: str) -> None:
    period = picture.period
    tasks = picture.tasks
    widths(ws, [22] + [14] * len(tasks) + [10] * len(COUNTED))
    for_print(ws, SUMMARY_HEAD, f"B{SUMMARY_HEAD + 1}")  # before the first row: see ``for_print``
    ws.append([text(ws, picture.plan.title, font=Font(bold=True, size=13))])
    ws.append(
        [
            text(
                ws,
                _(
                    "Kỳ: %(p)s (%(a)s – %(b)s)",
                    p=period.label,
                    a=fmt_date(period.start),
                    b=fmt_date(period.end),
                ),
            )
        ]
    )
    as_of = fmt_date(picture.counted_to)
    ws.append(
        [
            text(
                ws,
                _(
                    "Tính đến ngày %(d)s; lập lúc %(t)s. Ô ghi số phần việc đạt / phải "
                    'làm; chỉ minh chứng đã duyệt được tính. "Không tính": nhiệm vụ chưa '
                    "có mức để chấm hoặc đơn vị không được chấm (xem cuối trang).",
                    d=as_of,
                    t=generated,
                ),
            )
        ]
    )
    ws.append(
        [text(ws, _("Chú giải:"), font=BOLD)]
        + [text(ws, str(VERDICT_LABELS[v]), fill=fill(v)) for v in VERDICTS]
    )
    ws.append([])
    ws.row_dimensions[SUMMARY_HEAD].height = 60
    ws.append(
        [text(ws, _("Đơn vị"), font=BOLD, alignment=HEAD)]
        + [
            text(ws, f"{_('NV%(n)s', n=t.number)}\n{t.short_title}", font=BOLD, alignment=HEAD)
            for t in tasks
        ]
        + [text(ws, str(VERDICT_LABELS[v]), font=BOLD, alignment=HEAD) for v in COUNTED]
    )
    for unit, cells in picture.rows():
        ws.append(
            [text(ws, unit.short_name)]
            + [verdict_cell(ws, c) for c in cells]
            + [picture.count(v, unit.id) for v in COUNTED]
        )
    last = SUMMARY_HEAD + len(picture.units)
    ws.auto_filter.ref = f"A{SUMMARY_HEAD}:{get_column_letter(1 + len(tasks) + len(COUNTED))}{last}"
    ws.append([])
    for t in tasks:
        ws.append(
            [
                text(ws, _("NV%(n)s", n=t.number), font=BOLD),
                text(ws, f"{t.short_title}: {how_judged(t)}"),
            ]
        )


def write_evidence(ws, rows, headers: list[str], progress=None) -> SplicedRows:
    """The header through openpyxl (styled), the rows through ``SplicedRows``."""
    widths(ws, [c.width for c in EVIDENCE_COLUMNS] + [10] * PHOTO_COLUMNS)
    for_print(ws, 1, "A2")
    names = headers[:-1] + [_("Ảnh %(n)s", n=i + 1) for i in range(PHOTO_COLUMNS)]
    ws.append([text(ws, name, font=BOLD, alignment=HEAD) for name in names])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}1"  # to the last row: ``splice``
    spliced = SplicedRows(ws, DATE_FORMAT)
    open_label, photo_label = _("Mở"), _("Ảnh")
    for count, row in enumerate(rows, start=1):
        spliced.append(evidence_values(row, open_label, photo_label))
        if progress and count % 5000 == 0:
            progress(count)
    return spliced


# How each column of ``EVIDENCE_COLUMNS`` is written; any other is its field as it is.
VALUES: dict[str, Callable[[EvidenceRow, tuple[str, str]], object]] = {
    "occurred_at": lambda row, labels: row.occurred_at.replace(tzinfo=None),
    "reviewed_at": lambda row, labels: (
        row.reviewed_at.replace(tzinfo=None) if row.reviewed_at else None
    ),
    "link": lambda row, labels: link(row.link, labels[0]),
}


def _field(key: str) -> Callable[[EvidenceRow, tuple[str, str]], object]:
    get = attrgetter(key)
    return lambda row, labels: get(row)


GETTERS = [VALUES.get(c.key) or _field(c.key) for c in EVIDENCE_COLUMNS]


def evidence_values(row: EvidenceRow, open_label: str, photo_label: str) -> list:
    """One evidence row for ``SplicedRows``: plain values; typed text is never a formula."""
    labels = (open_label, photo_label)
    photos = [
        link(url, f"{photo_label} {i + 1}") for i, url in enumerate(row.photos[:PHOTO_COLUMNS])
    ]
    return [get(row, labels) for get in GETTERS] + photos


def write_task(ws, picture: Picture, task) -> None:
    widths(ws, [size for _head, size in TASK_COLUMNS])
    for_print(ws, TASK_HEAD, f"B{TASK_HEAD + 1}")
    last_column = get_column_letter(len(TASK_COLUMNS))
    ws.append(
        [
            text(
                ws,
                _("Nhiệm vụ %(n)s: %(t)s", n=task.number, t=task.short_title),
                font=Font(bold=True, size=13),
            )
        ]
    )
    ws.merged_cells.add(f"A2:{last_column}2")
    ws.row_dimensions[2].height = 15 * max(2, len(task.text) // 150 + 1)
    ws.append([text(ws, task.text, alignment=WRAP)])
    ws.append(
        [
            text(
                ws,
                _("Kế hoạch yêu cầu: %(w)s. %(how)s", w=task.when_text, how=how_judged(task)),
            )
        ]
    )
    ws.append([])
    ws.append([text(ws, str(head), font=BOLD, alignment=HEAD) for head, _size in TASK_COLUMNS])
    shown = 0
    for unit in picture.units:
        cell = picture.cell(task.id, unit.id)
        if cell is None:
            continue
        shown += 1
        counted = cell.verdict != "unscored"
        ws.append(
            [
                text(ws, unit.short_name),
                text(ws, _("Chủ trì") if cell.role == "lead" else _("Phối hợp")),
                text(ws, _("Có") if counted else _("Không")),
                cell.expected if counted else None,
                cell.done if counted else None,
                cell.accepted,
                cell.pending,
                cell.returned,
                verdict_cell(ws, cell),
                text(ws, "; ".join(s.label for s in cell.missing)),
                text(ws, str(cell.reason) if cell.reason and not counted else ""),
                text(ws, "; ".join(f"{x.period}: {x.reason}" for x in cell.explanations)),
            ]
        )
    ws.auto_filter.ref = f"A{TASK_HEAD}:{last_column}{TASK_HEAD + shown}"


def write_explanations(ws, picture: Picture) -> None:
    """The accepted explanations the picture counted, one a row."""
    widths(ws, [size for _head, size in EXPLANATION_COLUMNS])
    for_print(ws, 1, "A2")
    ws.append([text(ws, str(h), font=BOLD, alignment=HEAD) for h, _size in EXPLANATION_COLUMNS])
    found = picture.explanations()
    for unit, task, x in found:
        ws.append(
            [
                x.id,
                text(ws, unit.short_name),
                task.number,
                text(ws, x.period),
                text(ws, x.reason, alignment=WRAP),
                text(ws, fmt_datetime(x.reviewed_at)),
                text(ws, x.review_note or ""),
            ]
        )
    last_column = get_column_letter(len(EXPLANATION_COLUMNS))
    ws.auto_filter.ref = f"A1:{last_column}{1 + len(found)}"


def write_xlsx(
    picture: Picture, tz: tzinfo, target: BinaryIO, *, generated: str, progress=None
) -> int:
    """Write the workbook into ``target``; returns the number of evidence rows."""
    workbook = Workbook(write_only=True)
    write_summary(workbook.create_sheet(_("Tổng hợp")), picture, generated)
    labels = Labels.resolve()
    evidence = write_evidence(
        workbook.create_sheet(_("Minh chứng")),
        accepted_rows(picture, tz, Links(), labels),
        labels.headers,
        progress,
    )
    for task in picture.tasks:
        write_task(workbook.create_sheet(_("NV%(n)s", n=task.number)), picture, task)
    write_explanations(workbook.create_sheet(_("Giải trình")), picture)
    with tempfile.TemporaryFile() as saved:
        workbook.save(saved)
        saved.seek(0)
        evidence.splice(saved, target)
    return evidence.row - 1
