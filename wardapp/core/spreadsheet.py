"""Reading a table a person filled in, from an XLSX workbook or a CSV file.

Admins bring plans, accounts and places as spreadsheets made in Excel or exported from other
systems. Each sheet (or, for a CSV, each of the usual delimiters) is read as a candidate table
of (row number as Excel shows it, cells as text); the caller finds its header in them. Cells
come back as NFC text on one line, Excel's dates as dd/mm/yyyy.
"""

from __future__ import annotations

import csv
import unicodedata
from datetime import date, datetime
from pathlib import Path

Table = list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


class SpreadsheetError(Exception):
    """The file cannot be read as a table at all; the message says why, in Vietnamese."""


class RowsRefused(Exception):
    """A file refused whole: every problem found in it, as (row number or None, Vietnamese
    message). Plans, places and accounts each raise their own kind of it."""

    def __init__(self, errors: list[tuple[int | None, str]]) -> None:
        self.errors = errors
        super().__init__(errors)

    def __str__(self) -> str:
        return "\n".join(self.messages)

    @property
    def messages(self) -> list[str]:
        return [f"Dòng {row}: {msg}" if row else msg for row, msg in self.errors]

    def refusal(self, file_name: str) -> str:
        """What a command prints when the file is refused: nothing of it was kept."""
        lines = [f"Không nhập được {file_name}; chưa nạp gì vào cơ sở dữ liệu:"]
        return "\n".join(lines + [f"  {m}" for m in self.messages])


def clean(value: object) -> str:
    """A cell as NFC text on one line; Excel's dates read back as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def read_tables(path: Path) -> list[Table]:
    """The file's candidate tables: one per worksheet, or one per CSV delimiter."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # zipfile, XML and openpyxl errors alike
            raise SpreadsheetError(f"Không đọc được tệp XLSX: {exc}") from exc
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
            raise SpreadsheetError("Tệp CSV không phải mã UTF-8.") from exc
        return [
            [
                (n, [clean(c) for c in row])
                for n, row in enumerate(csv.reader(text.splitlines(), delimiter=d), start=1)
            ]
            for d in (";", ",", "\t")
        ]
    raise SpreadsheetError(
        f"Không hỗ trợ tệp {path.suffix or path.name}: chỉ nhận .xlsx hoặc .csv."
    )
