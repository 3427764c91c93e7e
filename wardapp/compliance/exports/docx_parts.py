"""The pieces the report is built of: text that enters the document safe for XML, paragraphs
with the decree's spacing, a short rule under a heading, a table header repeated on each page."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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


def add_text(paragraph, text: str, size: float | None = None, bold=False, italic=False):
    """Every text of the report enters here, so here it loses what XML cannot hold."""
    run = paragraph.add_run(export_safe(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return run


def add_para(
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
        add_text(paragraph, text, size, bold, italic)
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        paragraph.alignment = align
    if indent_first is not None:
        fmt.first_line_indent = Mm(indent_first)
    return paragraph


def add_rule(container, width_mm: float, cell_mm: float):
    """A short centred line under a heading, as a bottom border of an empty paragraph."""
    paragraph = add_para(container, size=2, align=CENTER)
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


def repeat_header(row) -> None:
    """The table's first row printed again at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
