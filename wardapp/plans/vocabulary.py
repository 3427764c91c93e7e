"""The words of a plan's appendix: its "when" column as a rule, its evidence column as kinds.

Used by the import, and by anything else that turns an appendix row into a task.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from wardapp.core.text import fold

# Reading a task's "when" and evidence kinds from the words of a plan: used by the import,
# and by anything else that turns an appendix row into a rule.
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


# Folded words of a "Minh chứng" column, per kind; the first kind that matches wins.
KIND_WORDS = {
    "procedure_update": "procedure_update|cap nhat|tthc|danh muc",
    "broadcast": "broadcast|truyen thanh|phat thanh",
    "meeting": "meeting|hoi nghi|tap huan|tham quan",
    "publication": "publication|bai dang|tin bai|bai viet|clip|dang tai|zalo|facebook|led",
    "site_photo": "site_photo|anh|hinh anh|pano|khau hieu|ap phich",
}


# Keywords in the task's own text, with diacritics: folded, "cổng" and "công" would meet.
TEXT_KINDS = {
    "site_photo": "pano|pa nô|khẩu hiệu|áp phích",
    "broadcast": "truyền thanh|phát thanh",
    "meeting": "hội nghị|tập huấn|tham quan",
    "publication": "zalo|facebook|cổng thông tin|trang thông tin|cổng chào|clip|tin bài|"
    "phóng sự|led|màn hình",
    "procedure_update": "danh mục|quy trình giải quyết|quy trình tthc|phần mềm một cửa",
}


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_when(text: str, year: int) -> tuple[str, date | None] | None:
    """(rule, deadline) a "Thời gian thực hiện" cell states; None if it can't be read.

    A quarter or month without a year falls in ``year``, the plan's year.
    """
    f = " ".join(fold(text).split())
    if re.search(r"moi tuan\s*/?\s*(1|mot) lan|hang tuan|(1|mot) lan\s*/\s*tuan", f):
        return "weekly", None
    if m := re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", f):
        try:
            return "deadline", date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    if m := re.search(r"quy\s*(iv|iii|ii|i|[1-4])\b\s*(?:(?:/|nam)\s*(\d{4}))?", f):
        return "deadline", _last_day(int(m[2] or year), 3 * (ROMAN.get(m[1]) or int(m[1])))
    if m := re.search(r"thang\s*(\d{1,2})\b\s*(?:(?:/|nam)\s*(\d{4}))?", f):
        month = int(m[1])
        return ("deadline", _last_day(int(m[2] or year), month)) if 1 <= month <= 12 else None
    if "thay doi" in f:
        return "on_change", None
    if "thuong xuyen" in f:
        return "per_period", None
    return None


def parse_kinds(column: str, text: str) -> tuple[list[str], list[str]]:
    """Evidence kinds from a "Minh chứng" cell, else guessed from the task's text.

    Returns (kinds, the column's words that name no kind).
    """
    kinds: list[str] = []
    bad: list[str] = []
    if column:
        for item in filter(None, (s.strip() for s in re.split(r"[,;/+\n]| và ", column))):
            kind = next(
                (
                    k
                    for k, words in KIND_WORDS.items()
                    if re.search(rf"(?<![a-z0-9_])({words})(?![a-z0-9_])", fold(item))
                ),
                None,
            )
            if kind is None:
                bad.append(item)
            elif kind not in kinds:
                kinds.append(kind)
        return kinds, bad
    low = text.lower()
    return [k for k, words in TEXT_KINDS.items() if re.search(rf"\b({words})\b", low)], bad


def short_title(text: str, limit: int = 80) -> str:
    """A task's text cut at a word to fit a phone's list."""
    text = text.lstrip("-– ").rstrip(". ")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
