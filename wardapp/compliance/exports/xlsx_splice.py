"""A big sheet's rows written as XML beside openpyxl, and spliced into the saved workbook.

openpyxl builds, type-checks and serialises a Cell object for every value (some 20 µs a
cell here, and still ~50 µs a row when handed lxml elements): a quarter of 250,000 evidence
rows would take minutes. So openpyxl writes the workbook (styles, the other sheets, the big
sheet's styled header row) and this writes the big sheet's data rows as escaped XML text to
a temporary file; ``splice`` then copies the workbook into its final zip, putting the rows
inside the big sheet's ``<sheetData>``. Memory stays flat: rows go to disk as they come and
are copied in chunks. The export tests read every sheet back with openpyxl.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import datetime, timedelta
from typing import BinaryIO

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter, quote_sheetname

from wardapp.core.text import MAYBE_UNSAFE, export_safe

DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
HEADER_FILTER = re.compile(r'<autoFilter ref="A1:([A-Z]+)1"')
# What XML must escape, and what the text policy changes (controls, bidi controls and
# non-characters go: U+FFFE in a cell and Excel will not open the file; CR becomes LF).
# Looked for with the quick class of the text policy: see core.text.MAYBE_UNSAFE.
SPECIAL = re.compile(f"[&<>]|{MAYBE_UNSAFE.pattern}")
COLUMNS = [get_column_letter(i) for i in range(1, 100)]
EXCEL_EPOCH, DAY = datetime(1899, 12, 30), timedelta(days=1)
CHUNK = 1024 * 1024


class Formula(str):
    """A value to write as a formula (without its "="); any other text stays text."""


def _escape(text: str) -> str:
    if SPECIAL.search(text) is None:  # most text: nothing to do
        return text
    text = export_safe(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_serial(moment: datetime) -> float:
    """Days since Excel's 1899-12-30, as openpyxl's ``to_excel`` gives for dates after 1900."""
    return (moment - EXCEL_EPOCH) / DAY


class SplicedRows:
    """Data rows for a write-only sheet whose header openpyxl has written: ``append`` plain
    values (str, int, float, naive datetime, Formula, None), then ``splice`` after saving."""

    def __init__(self, ws, date_format: str, first_row: int = 2):
        sample = WriteOnlyCell(ws, value=datetime(2024, 1, 1))
        sample.number_format = date_format
        self.date_style = sample.style_id  # registers the style in the workbook's styles.xml
        self.ws = ws  # its path in the zip is known once the workbook is saved
        self.row = first_row - 1
        self.width = 1
        self.file = tempfile.TemporaryFile()

    def append(self, values) -> None:
        """One row; every cell carries its reference, as Excel itself writes them."""
        self.row += 1
        row = self.row
        cells = [f'<row r="{row}">']
        for column, value in zip(COLUMNS, values, strict=False):
            kind = type(value)
            if value is None or value == "":
                continue
            if kind is str:
                text = _escape(value)
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                cells.append(
                    f'<c r="{column}{row}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
                )
            elif kind is int or kind is float:
                cells.append(f'<c r="{column}{row}"><v>{value}</v></c>')
            elif kind is Formula:
                cells.append(f'<c r="{column}{row}"><f>{_escape(value)}</f></c>')
            elif kind is datetime:
                cells.append(
                    f'<c r="{column}{row}" s="{self.date_style}"><v>{excel_serial(value)}</v></c>'
                )
            else:
                raise TypeError(f"no cell for {kind.__name__}")
        cells.append("</row>")
        self.width = max(self.width, len(values))
        self.file.write("".join(cells).encode("utf-8"))

    def splice(self, saved: BinaryIO, target: BinaryIO) -> None:
        """Copy the saved workbook into ``target``, the rows inside the sheet's data."""
        path = self.ws.path.lstrip("/")
        big = self.file.tell() > 2**31 - 2**26  # past what a plain zip entry can hold
        self.file.seek(0)
        # A filter on the header row reaches down to the last row written here, in the sheet
        # and in the workbook's hidden name for it (openpyxl wrote both knowing one row).
        header_filter = HEADER_FILTER.search
        with (
            zipfile.ZipFile(saved) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            sheet = source.read(path).decode("utf-8")
            filtered = header_filter(sheet)
            for info in source.infolist():
                if info.filename != path:
                    content = source.read(info.filename)
                    if filtered and info.filename == "xl/workbook.xml":
                        content = self._filter_name(content.decode("utf-8"), filtered[1])
                    out.writestr(info, content, zipfile.ZIP_DEFLATED)
                    continue
                sheet = DIMENSION.sub(
                    f'<dimension ref="A1:{COLUMNS[self.width - 1]}{self.row}"/>', sheet, count=1
                )
                if filtered:
                    sheet = sheet.replace(
                        filtered[0], f'<autoFilter ref="A1:{filtered[1]}{max(self.row, 1)}"', 1
                    )
                head, tail = _split(sheet)
                entry_info = zipfile.ZipInfo(info.filename, info.date_time)
                entry_info.compress_type = zipfile.ZIP_DEFLATED
                # 3× faster than the default, ~25 % larger. Private before Python 3.13 (which
                # names it compress_level and keeps this name), so typeshed leaves it out.
                entry_info._compresslevel = 1  # type: ignore[attr-defined]
                with out.open(entry_info, "w", force_zip64=big) as entry:
                    entry.write(head.encode("utf-8"))
                    while chunk := self.file.read(CHUNK):
                        entry.write(chunk)
                    entry.write(tail.encode("utf-8"))
        self.file.close()

    def _filter_name(self, workbook: str, last_column: str) -> bytes:
        name = f"{quote_sheetname(self.ws.title)}!$A$1:${last_column}$1<"
        grown = f"{quote_sheetname(self.ws.title)}!$A$1:${last_column}${max(self.row, 1)}<"
        return workbook.replace(name, grown, 1).encode("utf-8")


def _split(sheet: str) -> tuple[str, str]:
    """The sheet's XML up to where data rows go, and the rest."""
    end = sheet.find("</sheetData>")
    if end == -1:  # no rows at all: openpyxl wrote an empty element
        empty = sheet.index("<sheetData/>")
        return sheet[:empty] + "<sheetData>", "</sheetData>" + sheet[empty + len("<sheetData/>") :]
    return sheet[:end], sheet[end:]
