"""Correcting a returned item: one live correction at most, a decision and a correction never
both win, and a corrected chain counts once in the matrix and in every file."""

import csv
import hashlib
import io
import threading
import zipfile
from datetime import date

import docx
import openpyxl
from sqlalchemy import select

import wardapp.evidence.services
from support.compliance import local, make_plan, make_task, make_unit
from support.evidence import Officer, make_evidence, photo
from support.races import Gate, Running
from support.review import Reviewer
from wardapp.auth.models import User
from wardapp.compliance.picture import compliance_for
from wardapp.core.periods import Period
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.media.app_store import storage


def returned_item(app) -> int:
    sent = Officer(app, "tho-xuong").site_photo(photos=[photo(seed=60)])
    assert sent.status_code == 201
    assert Reviewer(app).return_(sent.json["id"], pick="Ảnh không rõ").status_code == 200
    return sent.json["id"]


def second_phone(app) -> Officer:
    """Another officer of the same ward, on another phone."""
    with app.app_context():
        first = db.session.scalar(select(User).where(User.username == "tho-xuong"))
        other = User(
            username="tho-xuong-2",
            display_name="Cán bộ hai",
            role="officer",
            unit_id=first.unit_id,
            active=True,
        )
        other.set_password("wardapp-demo")
        db.session.add(other)
        db.session.commit()
    return Officer(app, "tho-xuong-2")


def live_corrections(app, evidence_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Evidence.id).where(
                    Evidence.supersedes_id == evidence_id, Evidence.status != "withdrawn"
                )
            )
        )


def correcting(item_id: int):
    """Stops the correction of ``item_id`` once it is checked, before its row is written."""
    return lambda evidence: evidence.supersedes_id == item_id


def test_two_phones_correcting_one_returned_item_at_once_make_one_correction(seeded, monkeypatch):
    """Both phones pass every check before either writes: the database decides."""
    item = returned_item(seeded)
    first, other = Officer(seeded, "tho-xuong"), second_phone(seeded)
    passed = []
    real = wardapp.evidence.services.warnings_for
    both = threading.Barrier(2, timeout=30)

    def meet(evidence):
        if evidence.supersedes_id == item:
            passed.append(evidence.client_uuid)
            both.wait()  # neither writes until both were checked
        return real(evidence)

    monkeypatch.setattr(wardapp.evidence.services, "warnings_for", meet)
    one = Running(lambda: first.site_photo(photos=[photo(seed=63)], supersedes=str(item)))
    two = other.site_photo(photos=[photo(seed=64)], supersedes=str(item))
    assert len(passed) == 2
    assert sorted([one.result().status_code, two.status_code]) == [201, 409]
    assert len(live_corrections(seeded, item)) == 1


def test_a_decision_changed_while_the_correction_arrives_refuses_the_correction(
    seeded, monkeypatch
):
    item = returned_item(seeded)
    officer, reviewer = Officer(seeded, "tho-xuong"), Reviewer(seeded)
    gate = Gate(monkeypatch, wardapp.evidence.services, "warnings_for", correcting(item))
    correction = Running(lambda: officer.site_photo(photos=[photo(seed=65)], supersedes=str(item)))
    gate.wait()  # checked against the returned item; its row not written yet
    assert reviewer.approve(item).status_code == 200  # the reviewer thinks better of it
    gate.open()
    refused = correction.result()
    assert refused.status_code == 409 and "supersedes" in refused.json["fields"]
    assert live_corrections(seeded, item) == []


def test_a_correction_written_while_the_decision_is_made_refuses_the_decision(seeded, monkeypatch):
    item = returned_item(seeded)
    officer, reviewer = Officer(seeded, "tho-xuong"), Reviewer(seeded)
    with seeded.app_context():
        seen = db.session.get(Evidence, item).version
    gate = Gate(
        monkeypatch,
        wardapp.evidence.services,
        "record",
        lambda user, action, *a, **k: action == "evidence.submit",
    )
    correction = Running(lambda: officer.site_photo(photos=[photo(seed=66)], supersedes=str(item)))
    gate.wait()  # written, not yet committed
    decision = Running(lambda: reviewer.approve(item, version=seen))
    # The decision waits for the correction's lock where the rule is kept; without it, it
    # would be done by now. Either way the gate opens next.
    decision.finished_within(3)
    gate.open()
    assert correction.result().status_code == 201
    answer = decision.result()
    assert answer.status_code == 409, answer.get_data(as_text=True)[:200]
    with seeded.app_context():
        assert db.session.get(Evidence, item).status == "returned"


def test_a_chain_approved_twice_before_the_rule_counts_once_everywhere(app):
    """Rows left by the old race: the returned item and its correction both approved."""
    with app.app_context():
        unit = make_unit()
        task = make_task(make_plan(), 1, "per_period", leads=[unit], min_count=1, period="quarter")
        old = make_evidence(task, unit, local(2024, 2, 5), "approved")
        new = make_evidence(task, unit, local(2024, 2, 6), "approved", supersedes=old)
        for item, seed in ((old, 67), (new, 68)):
            data = photo(seed=seed)
            db.session.add(
                Media(
                    evidence_id=item.id,
                    role="photo",
                    position=0,
                    sha256=hashlib.sha256(data).hexdigest(),
                    content_type="image/jpeg",
                    size=len(data),
                    original_key=storage().put(data, ".jpg"),
                )
            )
        plan_id = task.plan_id
        db.session.commit()
        picture = compliance_for(task.plan, Period.quarter(2024, 1), as_of=date(2025, 1, 1))
        assert picture.cell(task.id, unit.id).accepted == 1
        admin = User(username="admin", display_name="Quản trị", role="admin", active=True)
        admin.set_password("wardapp-demo")
        db.session.add(admin)
        db.session.commit()
    from support.client import AuthActions

    client = app.test_client()
    assert AuthActions(client).login("admin").status_code == 302
    query = f"plan={plan_id}&quarter=1"
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/compliance/export.csv?{query}").get_data(as_text=True))
        )
    )
    assert len(rows) == 2  # the header and one item
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/compliance/export.xlsx?{query}").data))
    evidence_sheet = next(
        ws
        for ws in book.worksheets
        if ws.max_row > 1 and any("Mã minh chứng" == c.value for c in ws[1])
    )
    assert evidence_sheet.max_row == 2
    report = docx.Document(io.BytesIO(client.get(f"/compliance/export.docx?{query}").data))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "1 minh chứng đã được duyệt" in text
    with zipfile.ZipFile(io.BytesIO(client.get(f"/compliance/export.zip?{query}").data)) as z:
        assert len(z.namelist()) == 1  # the correction's photo only
