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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import current_app
from flask_babel import gettext as _

from wardapp.compliance.picture import Picture
from wardapp.compliance.rules import how_judged
from wardapp.core.i18n import fmt_date
from wardapp.core.text import export_safe

FONT = "Times New Roman"
AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


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


def _run(paragraph, text: str, size: float | None = None, bold=False, italic=False):
    """Every text of the report enters here, so here it loses what XML cannot hold."""
    run = paragraph.add_run(export_safe(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return run


def _para(
    container,
    text: str = "",
    size: float | None = None,
    *,
    bold=False,
    italic=False,
    align=None,
    before: float = 0,
    after: float = 0,
    indent_first: float | None = None,
):
    paragraph = container.add_paragraph()
    if text:
        _run(paragraph, text, size, bold, italic)
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        paragraph.alignment = align
    if indent_first is not None:
        fmt.first_line_indent = Mm(indent_first)
    return paragraph


def _rule(container, width_mm: float, cell_mm: float):
    """A short centred line under a heading, as a bottom border of an empty paragraph."""
    paragraph = _para(container, size=2, align=CENTER)
    side = max((cell_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_PBDR)
    return paragraph


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
    _para(left, superior, 13, align=CENTER)
    _para(left, author.office.upper(), 13, bold=True, align=CENTER)
    _rule(left, 20, 62)
    _para(left, _("Số:      /%(s)s", s=author.symbol), 13, align=CENTER, before=6)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=CENTER)
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, align=CENTER)
    _rule(right, 58, 103)
    _para(right, date_line(plan.city, issued_on), 14, italic=True, align=CENTER, before=6)


def _task_name(task) -> str:
    return _("NV%(n)s – %(t)s", n=task.number, t=task.short_title)


def _units_table(document, picture: Picture) -> None:
    heads = (_("TT"), _("Đơn vị"), _("Đạt"), _("Chưa đạt"), _("Chờ duyệt"), _("Nhiệm vụ chưa đạt"))
    table = document.add_table(rows=1, cols=len(heads))
    table.style = document.styles["Table Grid"]
    for cell, head, width in zip(table.rows[0].cells, heads, (10, 40, 14, 16, 16, 69), strict=True):
        cell.width = Mm(width)
        _run(cell.paragraphs[0], head, 12, bold=True)
        cell.paragraphs[0].alignment = CENTER
    tasks = {t.id: t for t in picture.tasks}
    for i, (unit, cells) in enumerate(picture.rows(), start=1):
        behind = "; ".join(
            _task_name(tasks[c.task_id]) for c in cells if c and c.verdict == "unmet"
        )
        values = (
            str(i),
            unit.short_name,
            *(str(picture.count(v, unit.id)) for v in ("met", "unmet", "pending")),
            behind,
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _run(cell.paragraphs[0], value, 12)


def _names(cells, names: dict[int, str], verdict: str) -> list[str]:
    return [names[c.unit_id] for c in cells if c.verdict == verdict]


def _deadline_text(task, cells, names: dict[int, str], picture: Picture, accepted: int) -> str:
    """Whether the deadline was met, unit by unit, in words a report states."""
    deadline = fmt_date(task.deadline)
    if task.deadline is None:
        return _("Chưa đặt hạn hoàn thành; đã duyệt %(a)s minh chứng.", a=accepted)
    if not picture.period.contains(task.deadline):
        return _(
            "Hạn hoàn thành %(d)s, ngoài kỳ báo cáo: được đánh giá trong kỳ chứa hạn; "
            "trong kỳ này đã duyệt %(a)s minh chứng.",
            d=deadline,
            a=accepted,
        )
    scored = [c for c in cells if c.verdict != "unscored"]
    if not scored:
        return _(
            "Hạn hoàn thành %(d)s, chưa đến hạn tại ngày %(t)s; đã duyệt %(a)s minh chứng.",
            d=deadline,
            t=fmt_date(picture.counted_to),
            a=accepted,
        )
    met, unmet = _names(scored, names, "met"), _names(scored, names, "unmet")
    pending = _names(scored, names, "pending")
    parts = [_("Hạn hoàn thành %(d)s.", d=deadline)]
    if met:
        parts.append(_("Hoàn thành đúng hạn (%(n)s đơn vị): %(u)s.", n=len(met), u=", ".join(met)))
    if unmet:
        parts.append(
            _(
                "Không hoàn thành đúng hạn (%(n)s đơn vị): %(u)s.",
                n=len(unmet),
                u=", ".join(unmet),
            )
        )
    if pending:
        parts.append(
            _(
                "Có minh chứng trước hạn đang chờ duyệt (%(n)s đơn vị): %(u)s.",
                n=len(pending),
                u=", ".join(pending),
            )
        )
    parts.append(_("Đã duyệt %(a)s minh chứng.", a=accepted))
    return " ".join(parts)


def _scored_text(task, cells, names: dict[int, str], accepted: int) -> str:
    scored = [c for c in cells if c.verdict != "unscored"]
    groups = {v: ", ".join(_names(scored, names, v)) or "—" for v in ("met", "unmet", "pending")}
    return _(
        "Yêu cầu: %(w)s. Đã duyệt %(a)s minh chứng. Đạt (%(nm)s đơn vị): %(m)s. "
        "Chưa đạt (%(nu)s đơn vị): %(u)s. Chờ duyệt: %(p)s.",
        w=task.when_text,
        a=accepted,
        nm=sum(c.verdict == "met" for c in scored),
        m=groups["met"],
        nu=sum(c.verdict == "unmet" for c in scored),
        u=groups["unmet"],
        p=groups["pending"],
    )


def _task_results(document, picture: Picture) -> None:
    """A paragraph per task that has a result to state; the tasks recorded only, with no
    accepted evidence in the period, in one closing paragraph rather than a line each."""
    names = {u.id: u.short_name for u in picture.units}
    idle = []
    number = 0
    for task in picture.tasks:
        cells = [c for u in picture.units if (c := picture.cell(task.id, u.id)) is not None]
        accepted = sum(c.accepted for c in cells)
        scored = [c for c in cells if c.verdict != "unscored"]
        if task.rule == "deadline":
            text = _deadline_text(task, cells, names, picture, accepted)
        elif scored:
            text = _scored_text(task, cells, names, accepted)
        elif accepted == 0:
            idle.append(task)
            continue
        else:
            text = _(
                "Yêu cầu: %(w)s. Nhiệm vụ chỉ ghi nhận, không chấm điểm trong kỳ; đã duyệt "
                "%(a)s minh chứng.",
                w=task.when_text,
                a=accepted,
            )
        number += 1
        _task_heading(document, number, _task_name(task))
        _para(document, text, align=JUSTIFY, indent_first=10)
    if idle:
        number += 1
        _task_heading(document, number, _("Các nhiệm vụ chưa có minh chứng được duyệt"))
        _para(
            document,
            _(
                "%(n)s nhiệm vụ chỉ ghi nhận, không chấm điểm trong kỳ và chưa có minh chứng "
                "nào được duyệt:",
                n=len(idle),
            ),
            align=JUSTIFY,
            indent_first=10,
        )
        for task in idle:
            _para(document, f"- {_task_name(task)}.", align=JUSTIFY, indent_first=10)


def _task_heading(document, number: int, title: str) -> None:
    _para(
        document,
        _("2.%(i)s. %(t)s", i=number, t=title),
        bold=True,
        italic=True,
        align=JUSTIFY,
        before=6,
        indent_first=10,
    )


def _annex(document, picture: Picture) -> None:
    """The matrix, on landscape pages of its own: a row per unit, a column per task."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    _para(document, _("PHỤ LỤC"), 13, bold=True, align=CENTER)
    _para(
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
    _repeat_header(head)
    first = 40
    other = (267 - first) / max(len(tasks), 1)
    for cell, text, width in zip(
        head.cells,
        [_("Đơn vị")] + [_("NV%(n)s", n=t.number) for t in tasks],
        [first] + [other] * len(tasks),
        strict=True,
    ):
        cell.width = Mm(width)
        _run(cell.paragraphs[0], text, 10, bold=True)
        cell.paragraphs[0].alignment = CENTER
    for unit, cells in picture.rows():
        row = table.add_row().cells
        _run(row[0].paragraphs[0], unit.short_name, 10)
        for cell, judged in zip(row[1:], cells, strict=True):
            text = "" if judged is None else f"{judged.ratio} {judged.verdict_label}"
            _run(cell.paragraphs[0], text, 10)
            cell.paragraphs[0].alignment = CENTER
    _para(document, _("Ghi chú:"), 11, bold=True, italic=True, before=6)
    _para(
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
        _para(document, f"{_task_name(task)}: {how_judged(task)}", 11, align=JUSTIFY)


def _repeat_header(row) -> None:
    """The table's first row printed again at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _explanations(document, picture: Picture) -> None:
    """The accepted explanations (giải trình) the period's cells met, one a line."""
    _para(document, _("3. Giải trình của các đơn vị"), bold=True, before=6, indent_first=10)
    found = picture.explanations()
    if not found:
        _para(document, _("Không có giải trình nào được chấp nhận trong kỳ."), indent_first=10)
        return
    _para(
        document,
        _(
            "%(n)s giải trình được chấp nhận; các phần việc đó ghi là “có giải trình”, "
            "không tính là đạt:",
            n=len(found),
        ),
        align=JUSTIFY,
        indent_first=10,
    )
    for unit, task, x in found:
        _para(
            document,
            _(
                "- %(u)s, nhiệm vụ %(t)s, kỳ %(p)s: %(r)s",
                u=unit.short_name,
                t=task.number,
                p=x.period,
                r=export_safe(x.reason),
            ),
            align=JUSTIFY,
            indent_first=10,
        )


def _closing(document, author: Author) -> None:
    left, right = _two_columns(document, 80, 85)
    _para(left, _("Nơi nhận:"), 12, bold=True, italic=True)
    for name in author.recipients:
        _para(left, f"- {name};", 11)
    _para(left, "- Lưu: VT.", 11)
    _para(right, author.signer_title, 14, bold=True, align=CENTER)
    for _blank in range(4):
        _para(right, "", 14)
    _para(right, author.signer_name, 14, bold=True, align=CENTER)


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
    _para(document, "BÁO CÁO", 14, bold=True, align=CENTER, before=18)
    _para(document, subject_line(picture), 14, bold=True, align=CENTER)
    _rule(document, 40, 165)
    office = author.office
    _para(
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
    _para(document, _("I. KẾT QUẢ THỰC HIỆN"), bold=True, before=6, indent_first=10)
    _para(document, _("1. Kết quả chung"), bold=True, indent_first=10)
    as_of = fmt_date(picture.counted_to)
    _para(
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
    _para(document, _("2. Kết quả theo nhiệm vụ"), bold=True, before=6, indent_first=10)
    _task_results(document, picture)
    _explanations(document, picture)
    _para(document, _("II. KẾT QUẢ THEO ĐƠN VỊ"), bold=True, before=12, after=6, indent_first=10)
    _units_table(document, picture)
    for heading in (_("III. KHÓ KHĂN, VƯỚNG MẮC"), _("IV. ĐỀ XUẤT, KIẾN NGHỊ")):
        _para(document, heading, bold=True, before=12, indent_first=10)
        _para(document, "…", indent_first=10)
    _para(
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
