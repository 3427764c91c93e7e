"""The admin's page for next year's plan: a good file loads, a bad one is refused whole."""

import csv
import html
import io

from sqlalchemy import func, select

from support.client import AuthActions
from support.plans import GOOD_ROWS, HEADER
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def upload(app, rows, year="2025"):
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("admin")
    return client.post(
        "/plans/import",
        data={
            "csrf_token": auth.token(),
            "year": year,
            "title": "",
            "city": "Bắc Giang",
            "file": (io.BytesIO(csv_bytes(rows)), "ke-hoach-2025.csv"),
        },
        content_type="multipart/form-data",
    )


def test_an_admin_imports_a_good_plan_file(seeded):
    response = upload(seeded, [HEADER] + GOOD_ROWS)
    assert response.status_code == 303
    with seeded.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.year == 2025))
        assert plan is not None and len(plan.tasks) == len(GOOD_ROWS)


def test_a_bad_file_is_refused_whole_with_row_numbers(seeded):
    rows = [HEADER, GOOD_ROWS[0], ["2", "Pano về CCHC.", "Phòng Tài chính", "", "Quý I/2025", ""]]
    response = upload(seeded, rows)
    assert response.status_code == 422
    assert 'Dòng 3: không tìm thấy đơn vị "Phòng Tài chính"' in html.unescape(
        response.get_data(as_text=True)
    )
    with seeded.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 1
        assert db.session.scalar(select(func.count(Task.id))) == 10


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(seeded):
    client = seeded.test_client()
    auth = AuthActions(client)
    auth.login("admin")
    response = client.post(
        "/plans/import",
        data={
            "csrf_token": auth.token(),
            "year": "2025",
            "file": (io.BytesIO(b"%PDF-1.4"), "ke-hoach.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Hãy chọn tệp XLSX hoặc CSV" in response.get_data(as_text=True)
