"""The evidence as CSV: UTF-8 with a byte-order mark, so Excel opens Vietnamese correctly.

Comma-separated by default; ``;`` on request, which is what Excel expects where the decimal
mark is a comma (Excel set to Vietnamese): it then opens the file in columns.

Written as a stream of chunks, never whole in memory. Text a person typed is kept from being
read as a formula by a spreadsheet (a leading ``=``, ``+``, ``-`` or ``@`` gets a quote), and
holds no control, bidi control or non-character (``core.text``), whenever it was stored.
"""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import tzinfo
from operator import attrgetter

from sqlalchemy.orm import Session

from wardapp.compliance.exports.rows import (
    EVIDENCE_COLUMNS,
    EvidenceRow,
    Labels,
    Links,
    accepted_rows,
)
from wardapp.compliance.picture import Picture
from wardapp.core.text import export_safe

CHUNK = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = {"comma": ",", "semicolon": ";"}


def spreadsheet_safe(text: str) -> str:
    text = export_safe(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def stamp(moment) -> str:
    """dd/mm/yyyy hh:mm (formatted by hand: strftime is the slowest part of a row)."""
    if moment is None:
        return ""
    return (
        f"{moment.day:02d}/{moment.month:02d}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"
    )


# How each column of ``EVIDENCE_COLUMNS`` is written; any other is its field as it is.
VALUES: dict[str, Callable[[EvidenceRow], object]] = {
    "task_title": lambda row: export_safe(row.task_title),
    "unit_name": lambda row: export_safe(row.unit_name),
    "occurred_at": lambda row: stamp(row.occurred_at),
    "summary": lambda row: spreadsheet_safe(row.summary),
    "note": lambda row: spreadsheet_safe(row.note),
    "reviewed_at": lambda row: stamp(row.reviewed_at),
}
GETTERS = [VALUES.get(c.key) or attrgetter(c.key) for c in EVIDENCE_COLUMNS]


def csv_values(row: EvidenceRow) -> list:
    return [get(row) for get in GETTERS] + ["\n".join(row.photos)]


def csv_chunks(
    picture: Picture,
    tz: tzinfo,
    links: Links,
    labels: Labels,
    session: Session,
    separator: str = ",",
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    buffer.write("\ufeff")
    writer.writerow(labels.headers)
    for row in accepted_rows(picture, tz, links, labels, session):
        writer.writerow(csv_values(row))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    for unit, task, x in picture.explanations():
        roles = {a.unit_id: a.role for a in task.assignments}
        writer.writerow(
            explanation_values(unit, task, x, roles.get(unit.id, ""), tz, links, labels)
        )
    yield buffer.getvalue().encode("utf-8")


def explanation_values(unit, task, x, role: str, tz: tzinfo, links: Links, labels: Labels) -> list:
    """An accepted explanation as a row beside the evidence: its kind says so, its period
    stands where the week does, its reason where an item's content does."""
    return [
        f"GT{x.id}",
        task.number,
        export_safe(task.short_title),
        export_safe(unit.short_name),
        labels.roles.get(role, role),
        labels.explanation,
        "",
        x.period,
        spreadsheet_safe(x.reason),
        spreadsheet_safe(x.review_note or ""),
        stamp(x.reviewed_at.astimezone(tz) if x.reviewed_at else None),
        links.unit(unit.id),
        0,
        "",
    ]
