"""The quarter as an Excel workbook: the matrix, the evidence with links, a sheet per task.

openpyxl's write-only mode writes each row to a temporary file as it goes, so memory stays
flat for any number of items; the workbook is saved to a file the view then streams. The
evidence sheet's rows go through ``SplicedRows`` (see there: openpyxl's cells are too slow for a
national quarter). Links are ``HYPERLINK`` formulas rather than cell hyperlinks, which
openpyxl keeps in memory until the sheet is closed. Text a person typed is always text.
"""

from __future__ import annotations

import tempfile
from datetime import tzinfo
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from wardapp.compliance.exports.rows import EvidenceRow, Labels, Links, accepted_rows
from wardapp.compliance.exports.xlsx_splice import Formula, SplicedRows
from wardapp.compliance.picture import Picture
from wardapp.compliance.rules import VERDICT_LABELS, VERDICTS
from wardapp.core.i18n import fmt_date, fmt_datetime
from wardapp.core.labels import RULE_LABELS
from wardapp.core.text import export_safe

FILLS = {
    "met": "C6EFCE",
    "unmet": "FFC7CE",
    "pending": "FFEB9C",
    "explained": "DDE7F7",
    "unscored": "EDEDED",
}
COUNTED = ("met", "unmet", "pending", "explained")
PHOTO_COLUMNS = 3
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd/mm/yyyy hh:mm"


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
    return text(
        ws,
        f"{cell.ratio} {cell.verdict_label}",
        fill=PatternFill("solid", fgColor=FILLS[cell.verdict]),
    )


def write_summary(ws, picture: Picture, generated: str) -> None:
    period = picture.period
    ws.column_dimensions["A"].width = 28
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
                    "làm; chỉ minh chứng đã duyệt được tính.",
                    d=as_of,
                    t=generated,
                ),
            )
        ]
    )
    ws.append(
        [text(ws, _("Chú giải:"), font=BOLD)]
        + [
            text(ws, str(VERDICT_LABELS[v]), fill=PatternFill("solid", fgColor=FILLS[v]))
            for v in VERDICTS
        ]
    )
    ws.append([])
    ws.append(
        [text(ws, _("Đơn vị"), font=BOLD)]
        + [text(ws, _("NV%(n)s", n=t.number), font=BOLD) for t in picture.tasks]
        + [text(ws, str(VERDICT_LABELS[v]), font=BOLD) for v in COUNTED]
    )
    for unit, cells in picture.rows():
        ws.append(
            [text(ws, unit.short_name)]
            + [verdict_cell(ws, c) for c in cells]
            + [picture.count(v, unit.id) for v in COUNTED]
        )
    ws.append([])
    for t in picture.tasks:
        ws.append(
            [
                text(ws, _("NV%(n)s", n=t.number), font=BOLD),
                text(ws, f"{t.short_title} ({RULE_LABELS[t.rule]})"),
            ]
        )


def write_evidence(ws, rows, headers: list[str], progress=None) -> SplicedRows:
    """The header through openpyxl (styled), the rows through ``SplicedRows``."""
    widths = {
        "A": 10,
        "B": 6,
        "C": 40,
        "D": 18,
        "E": 10,
        "F": 22,
        "G": 17,
        "H": 10,
        "I": 50,
        "J": 30,
        "K": 17,
        "L": 14,
        "M": 7,
    }
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
    names = headers[:-1] + [_("Ảnh %(n)s", n=i + 1) for i in range(PHOTO_COLUMNS)]
    ws.append([text(ws, name, font=BOLD) for name in names])
    spliced = SplicedRows(ws, DATE_FORMAT)
    open_label, photo_label = _("Mở"), _("Ảnh")
    for count, row in enumerate(rows, start=1):
        spliced.append(evidence_values(row, open_label, photo_label))
        if progress and count % 5000 == 0:
            progress(count)
    return spliced


def evidence_values(row: EvidenceRow, open_label: str, photo_label: str) -> list:
    """One evidence row for ``SplicedRows``: plain values; typed text is never a formula."""
    reviewed = row.reviewed_at.replace(tzinfo=None) if row.reviewed_at else None
    photos = [
        link(url, f"{photo_label} {i + 1}") for i, url in enumerate(row.photos[:PHOTO_COLUMNS])
    ]
    return [
        row.id,
        row.task_number,
        row.task_title,
        row.unit_name,
        row.role,
        row.kind,
        row.occurred_at.replace(tzinfo=None),
        row.week,
        row.summary,
        row.note,
        reviewed,
        link(row.link, open_label),
        len(row.photos),
        *photos,
    ]


def write_task(ws, picture: Picture, task) -> None:
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["J"].width = 60
    ws.append(
        [
            text(
                ws,
                _("Nhiệm vụ %(n)s: %(t)s", n=task.number, t=task.short_title),
                font=Font(bold=True, size=13),
            )
        ]
    )
    ws.append([text(ws, task.text, alignment=WRAP)])
    ws.append([text(ws, f"{task.when_text} — {RULE_LABELS[task.rule]}")])
    ws.append([])
    ws.append(
        [
            text(ws, h, font=BOLD)
            for h in (
                _("Đơn vị"),
                _("Vai trò"),
                _("Chấm điểm"),
                _("Phải làm"),
                _("Đã làm"),
                _("Đã duyệt"),
                _("Chờ duyệt"),
                _("Trả lại"),
                _("Kết quả"),
                _("Còn thiếu"),
                _("Ghi chú"),
                _("Giải trình"),
            )
        ]
    )
    for unit in picture.units:
        cell = picture.cell(task.id, unit.id)
        if cell is None:
            continue
        ws.append(
            [
                text(ws, unit.short_name),
                text(ws, _("Chủ trì") if cell.role == "lead" else _("Phối hợp")),
                text(ws, _("Có") if cell.scored else _("Không")),
                cell.expected,
                cell.done,
                cell.accepted,
                cell.pending,
                cell.returned,
                verdict_cell(ws, cell),
                text(ws, "; ".join(s.label for s in cell.missing)),
                text(ws, str(cell.reason) if cell.reason else ""),
                text(ws, "; ".join(f"{x.period}: {x.reason}" for x in cell.explanations)),
            ]
        )


def write_explanations(ws, picture: Picture) -> None:
    """The accepted explanations the picture counted, one a row."""
    for column, width in {"A": 8, "B": 28, "C": 8, "D": 10, "E": 60, "F": 17, "G": 30}.items():
        ws.column_dimensions[column].width = width
    heads = (
        _("Mã"),
        _("Đơn vị"),
        _("Nhiệm vụ"),
        _("Kỳ"),
        _("Lý do"),
        _("Chấp nhận lúc"),
        _("Ghi chú của người duyệt"),
    )
    ws.append([text(ws, h, font=BOLD) for h in heads])
    for unit, task, x in picture.explanations():
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
