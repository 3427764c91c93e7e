"""Whatever text evidence holds, every export of its quarter opens again: openpyxl reads the
workbook, python-docx the report, csv the table, zipfile the photos; and what a person wrote
is there, less only what the text policy removes.

Two ways in: through the API (where the policy refuses or cleans the text) and as rows stored
before the policy (written straight to the database, with units and tasks named the same way),
which the export writers must make safe themselves. Bounded like ``test_fuzz``; SQLite only.
"""

import csv
import io
import unicodedata
import uuid
import zipfile

import pytest
from docx import Document
from hypothesis import given, settings
from openpyxl import load_workbook
from sqlalchemy import select

from support.compliance import local
from support.evidence import make_evidence, task_id
from support.fuzz import BOUNDED
from support.review import decide
from support.text import TEXT, as_exported, as_stored, is_refused, refuses, unsafe_in
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
TEXT_FIELDS = ("station", "topic", "summary", "note")


def through_the_api(app, officer, text: str) -> int | None:
    """A broadcast with ``text`` in every free-text field; its id once accepted, or None."""
    response = officer.post(
        {
            "client_uuid": str(uuid.uuid4()),
            "task_id": str(task_id(app, 3)),
            "kind": "broadcast",
            "occurred_at": "2024-03-20T09:00",
            "station": "Đài " + text,
            "topic": "CCHC " + text,
            "start_time": "06:30",
            "minutes": "15",
            "summary": text,
            "note": text,
        }
    )
    if refuses(text):
        assert response.status_code == 422
        assert set(TEXT_FIELDS) <= set(response.json["fields"])
        return None
    assert response.status_code == 201, response.json
    decide(app, response.json["id"], "approved")
    return response.json["id"]


def stored_before_the_policy(app, text: str) -> int:
    """An accepted broadcast, its unit and its tasks named with ``text`` as it came."""
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "tho-xuong"))
        unit.short_name = ("Thọ Xương " + text)[:100]
        tasks = {
            t.number: t for t in db.session.scalars(select(Task).where(Task.number.in_((3, 6))))
        }
        tasks[3].short_title, tasks[6].short_title = "Phát thanh " + text, "Pano " + text
        evidence = make_evidence(
            tasks[3],
            unit,
            local(2024, 3, 21),
            "approved",
            kind="broadcast",
            fields={
                "station": text,
                "start_time": "06:30",
                "minutes": 15,
                "topic": text,
                "summary": text,
            },
        )
        evidence.note = text
        db.session.commit()
        return evidence.id


def hidden_in_name(name: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in name
        if unicodedata.category(c) in ("Cc", "Cf", "Cs") or is_refused(c)
    ]


def read_workbook(data: bytes) -> dict[int, tuple]:
    """Every text cell checked; the evidence rows by id."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not isinstance(value, str) or not unsafe_in(value), (sheet.title, value)
    return {row[0]: row for row in book["Minh chứng"].iter_rows(min_row=2, values_only=True)}


def read_csv(data: bytes) -> dict[str, list]:
    text = data.decode("utf-8-sig")
    assert not unsafe_in(text)
    return {row[0]: row for row in csv.reader(io.StringIO(text))}


def read_report(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for text in texts:
        assert not unsafe_in(text), text
    return texts


@settings(BOUNDED, max_examples=25)  # four exports an example
@given(typed=TEXT, legacy=TEXT)
def test_every_export_of_any_text_opens_again_and_holds_the_text_less_what_was_removed(
    seeded, one_unit_quarter, typed, legacy
):
    api_id = through_the_api(seeded, one_unit_quarter["officer"], typed)
    old_id = stored_before_the_policy(seeded, legacy)
    reviewer, query = one_unit_quarter["reviewer"], one_unit_quarter["query"]

    rows = read_workbook(reviewer.get(f"/compliance/export.xlsx?{query}").data)
    old = rows[old_id]
    assert old[2] == as_exported("Phát thanh " + legacy)
    assert old[3] == as_exported(("Thọ Xương " + legacy)[:100])
    assert as_exported(legacy) in old[8] and (old[9] or "") == as_exported(legacy)
    if api_id is not None:
        assert (rows[api_id][9] or "") == as_stored(typed)
        assert "Chủ đề: " + as_stored("CCHC " + typed) in rows[api_id][8]

    table = read_csv(reviewer.get(f"/compliance/export.csv?{query}").data)
    assert table[str(old_id)][9] in (as_exported(legacy), "'" + as_exported(legacy))
    if api_id is not None:
        assert table[str(api_id)][9] in (as_stored(typed), "'" + as_stored(typed))

    report = read_report(reviewer.get(f"/compliance/export.docx?{query}").data)
    assert as_exported(("Thọ Xương " + legacy)[:100]) in report

    archive = zipfile.ZipFile(io.BytesIO(reviewer.get(f"/compliance/export.zip?{query}").data))
    assert archive.testzip() is None and archive.namelist()
    for name in archive.namelist():
        assert not hidden_in_name(name), name
    with seeded.app_context():
        assert db.session.get(Evidence, old_id).note == legacy  # the export changed nothing
