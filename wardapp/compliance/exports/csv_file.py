"""The evidence as CSV: UTF-8 with a byte-order mark, so Excel opens Vietnamese correctly.

Written as a stream of chunks, never whole in memory. Text a person typed is kept from being
read as a formula by a spreadsheet (a leading ``=``, ``+``, ``-`` or ``@`` gets a quote), and
holds no control, bidi control or non-character (``core.text``), whenever it was stored.
"""

import csv
import io
from collections.abc import Iterator
from datetime import tzinfo

from sqlalchemy.orm import Session

from wardapp.compliance.exports.rows import EvidenceRow, Labels, Links, accepted_rows
from wardapp.compliance.picture import Picture
from wardapp.core.text import export_safe

CHUNK = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def csv_values(row: EvidenceRow) -> list:
    return [
        row.id,
        row.task_number,
        export_safe(row.task_title),
        export_safe(row.unit_name),
        row.role,
        row.kind,
        stamp(row.occurred_at),
        row.week,
        spreadsheet_safe(row.summary),
        spreadsheet_safe(row.note),
        stamp(row.reviewed_at),
        row.link,
        len(row.photos),
        "\n".join(row.photos),
    ]


def csv_chunks(
    picture: Picture, tz: tzinfo, links: Links, labels: Labels, session: Session
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
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
