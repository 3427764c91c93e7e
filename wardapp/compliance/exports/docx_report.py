"""The quarterly report as a Word document laid out by Decree 30/2020/NĐ-CP (Appendix I).

A4 portrait, margins 20 mm top and bottom, 30 mm left, 15 mm right, Times New Roman; the
header in a borderless two-column table (superior and issuing body, number; national title,
motto, place and date), "BÁO CÁO" and its subject, numbered sections, a table of units and
verdicts, then "Nơi nhận" (ending "- Lưu: VT.") beside the signature block, and the matrix as
an annex on landscape pages. Each task is named by its short title; a deadline task says who
met the deadline and who did not; the tasks with nothing to report share one paragraph. It is
a draft to edit and sign: the number, the signer's name, difficulties and proposals are left
to fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import current_app
from flask_babel import gettext as _

from wardapp.compliance.exports.docx_parts import (
    CENTER,
    FONT,
    JUSTIFY,
    add_para,
    add_rule,
    add_text,
    repeat_header,
)
from wardapp.compliance.exports.docx_results import explanations, task_name, task_results
from wardapp.compliance.picture import Picture
from wardapp.compliance.rules import how_judged
from wardapp.core.i18n import fmt_date


@dataclass(frozen=True)
class Author:
    """Who issues the report: the office in the settings (``REPORT_*``), or one unit."""

    office: str
    symbol: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]

    @classmethod
    def from_settings(cls) -> Author:
        config = current_app.config
        return cls(
            config["REPORT_OFFICE"],
            config["REPORT_SYMBOL"],
            config["REPORT_SIGNER_TITLE"],
            config["REPORT_SIGNER_NAME"],
            tuple(config["REPORT_RECIPIENTS"]),
        )

    @classmethod
    def unit(cls, unit) -> Author:
        """A unit's own report, sent up to the reviewing office; the signer is to fill in."""
        office = f"UBND {unit.name}" if unit.kind in ("ward", "commune") else unit.name
        to = _("%(office)s thành phố", office=current_app.config["REPORT_OFFICE"])
        return cls(office, "BC", _("THỦ TRƯỞNG ĐƠN VỊ"), "", (to,))


def date_line(place: str, day: date | None) -> str:
    """ "Bắc Giang, ngày 05 tháng 4 năm 2024": days below 10 and months 1, 2 take a 0."""
    if day is None:
        return _("%(place)s, ngày …… tháng …… năm ……", place=place)
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _(
        "%(place)s, ngày %(d)s tháng %(m)s năm %(y)s",
        place=place,
        d=f"{day.day:02d}",
        m=month,
        y=day.year,
    )


def subject_line(picture: Picture) -> str:
    title = picture.plan.title.removesuffix(f" năm {picture.plan.year}")
    return _("Kết quả thực hiện %(title)s %(period)s", title=title, period=picture.period.phrase)


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)


def _two_columns(document, left_mm: float, right_mm: float):
    table = document.add_table(rows=1, cols=2)  # no style: no borders
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return left, right


def _header(document, picture: Picture, issued_on: date | None, author: Author) -> None:
    plan = picture.plan
    left, right = _two_columns(document, 62, 103)
    superior = (plan.issuer or f"UBND {plan.city}").upper()
    add_para(left, superior, 13, align=CENTER)
    add_para(left, author.office.upper(), 13, bold=True, align=CENTER)
    add_rule(left, 20, 62)
    add_para(left, _("Số:      /%(s)s", s=author.symbol), 13, align=CENTER, before=6)
    add_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=CENTER)
    add_para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, align=CENTER)
    add_rule(right, 58, 103)
    add_para(right, date_line(plan.city, issued_on), 14, italic=True, align=CENTER, before=6)


def _units_table(document, picture: Picture) -> None:
    heads = (_("TT"), _("Đơn vị"), _("Đạt"), _("Chưa đạt"), _("Chờ duyệt"), _("Nhiệm vụ chưa đạt"))
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    for cell, head, width in zip(table.rows[0].cells, heads, (10, 40, 14, 16, 16, 69), strict=True):
        cell.width = Mm(width)
        add_text(cell.paragraphs[0], head, 12, bold=True)
        cell.paragraphs[0].alignment = CENTER
    tasks = {t.id: t for t in picture.tasks}
    for i, (unit, cells) in enumerate(picture.rows(), start=1):
        behind = "; ".join(task_name(tasks[c.task_id]) for c in cells if c and c.verdict == "unmet")
        values = (
            str(i),
            unit.short_name,
            *(str(picture.count(v, unit.id)) for v in ("met", "unmet", "pending")),
            behind,
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            add_text(cell.paragraphs[0], value, 12)


def _annex(document, picture: Picture) -> None:
    """The matrix, on landscape pages of its own: a row per unit, a column per task."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    add_para(document, _("PHỤ LỤC"), 13, bold=True, align=CENTER)
    add_para(
        document,
        _("Kết quả theo đơn vị và nhiệm vụ, %(p)s", p=picture.period.phrase),
        13,
        bold=True,
        align=CENTER,
        after=6,
    )
    tasks = picture.tasks
    table = document.add_table(rows=1, cols=1 + len(tasks))
    table.style = document.styles["Table Grid"]
    head = table.rows[0]
    repeat_header(head)
    first = 40
    other = (267 - first) / max(len(tasks), 1)
    for cell, text, width in zip(
        head.cells,
        [_("Đơn vị")] + [_("NV%(n)s", n=t.number) for t in tasks],
        [first] + [other] * len(tasks),
        strict=True,
    ):
        cell.width = Mm(width)
        add_text(cell.paragraphs[0], text, 10, bold=True)
        cell.paragraphs[0].alignment = CENTER
    for unit, cells in picture.rows():
        row = table.add_row().cells
        add_text(row[0].paragraphs[0], unit.short_name, 10)
        for cell, judged in zip(row[1:], cells, strict=True):
            text = "" if judged is None else f"{judged.ratio} {judged.verdict_label}"
            add_text(cell.paragraphs[0], text, 10)
            cell.paragraphs[0].alignment = CENTER
    add_para(document, _("Ghi chú:"), 11, bold=True, italic=True, before=6)
    add_para(
        document,
        _(
            "Ô ghi số phần việc đạt / phải làm tính đến ngày %(d)s; chỉ minh chứng đã duyệt "
            "được tính; ô trống: đơn vị không phụ trách nhiệm vụ.",
            d=fmt_date(picture.counted_to),
        ),
        11,
        align=JUSTIFY,
    )
    for task in tasks:
        add_para(document, f"{task_name(task)}: {how_judged(task)}", 11, align=JUSTIFY)


def _closing(document, author: Author) -> None:
    left, right = _two_columns(document, 80, 85)
    add_para(left, _("Nơi nhận:"), 12, bold=True, italic=True)
    for name in author.recipients:
        add_para(left, f"- {name};", 11)
    add_para(left, "- Lưu: VT.", 11)
    add_para(right, author.signer_title, 14, bold=True, align=CENTER)
    for _blank in range(4):
        add_para(right, "", 14)
    add_para(right, author.signer_name, 14, bold=True, align=CENTER)


def write_docx(
    picture: Picture,
    target: BinaryIO,
    *,
    issued_on: date | None,
    accepted_total: int,
    author: Author | None = None,
) -> None:
    author = author or Author.from_settings()
    plan, phrase = picture.plan, picture.period.phrase
    document = Document()
    _page(document)
    _header(document, picture, issued_on, author)
    add_para(document, "BÁO CÁO", 14, bold=True, align=CENTER, before=18)
    add_para(document, subject_line(picture), 14, bold=True, align=CENTER)
    add_rule(document, 40, 165)
    office = author.office
    add_para(
        document,
        _(
            "Thực hiện %(title)s của %(issuer)s%(number)s, %(office)s báo cáo kết "
            "quả thực hiện %(phrase)s như sau:",
            title=plan.title,
            issuer=plan.issuer or plan.city,
            office=office,
            phrase=phrase,
            number=f" (số {plan.number})" if plan.number else "",
        ),
        align=JUSTIFY,
        before=12,
        after=6,
        indent_first=10,
    )
    add_para(document, _("I. KẾT QUẢ THỰC HIỆN"), bold=True, before=6, indent_first=10)
    add_para(document, _("1. Kết quả chung"), bold=True, indent_first=10)
    as_of = fmt_date(picture.counted_to)
    add_para(
        document,
        _(
            "Trong %(phrase)s, %(u)s đơn vị có nhiệm vụ trong kế hoạch; %(n)s minh "
            "chứng đã được duyệt. Tính đến ngày %(d)s: %(m)s lượt đơn vị - nhiệm vụ đạt, "
            "%(x)s chưa đạt, %(p)s chờ duyệt.",
            phrase=phrase,
            n=accepted_total,
            u=len(picture.units),
            d=as_of,
            m=picture.count("met"),
            x=picture.count("unmet"),
            p=picture.count("pending"),
        ),
        align=JUSTIFY,
        indent_first=10,
    )
    add_para(document, _("2. Kết quả theo nhiệm vụ"), bold=True, before=6, indent_first=10)
    task_results(document, picture)
    explanations(document, picture)
    add_para(document, _("II. KẾT QUẢ THEO ĐƠN VỊ"), bold=True, before=12, after=6, indent_first=10)
    _units_table(document, picture)
    for heading in (_("III. KHÓ KHĂN, VƯỚNG MẮC"), _("IV. ĐỀ XUẤT, KIẾN NGHỊ")):
        add_para(document, heading, bold=True, before=12, indent_first=10)
        add_para(document, "…", indent_first=10)
    add_para(
        document,
        _(
            "Trên đây là báo cáo kết quả thực hiện %(title)s %(phrase)s của %(office)s./.",
            title=plan.title.removesuffix(f" năm {plan.year}"),
            phrase=phrase,
            office=office,
        ),
        align=JUSTIFY,
        before=12,
        after=12,
        indent_first=10,
    )
    _closing(document, author)
    _annex(document, picture)
    document.save(target)
