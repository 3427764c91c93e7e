"""Explanations (giải trình): an accepted one turns the cell to "có giải trình" in the matrix,
the cell's page, the unit's page and every export, never "đạt"; a refused one changes nothing.
"""

import csv
import io
import re

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from support.client import SignedIn
from support.pages import matrix
from support.review import Reviewer
from wardapp.audit.models import AuditEvent
from wardapp.extensions import db
from wardapp.followup.models import Explanation
from wardapp.notifications.models import Notification

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)
REASON = "Loa truyền thanh hỏng từ tháng 2, đang chờ sửa"


def file(app, ids, *, officer="tan-tien", period="2024-Q1", reason=REASON, **extra):
    person = SignedIn(app, officer)
    data = {"task_id": ids["tasks"][3], "period": period, "reason": reason, **extra}
    return person.client.post(
        "/api/v1/explanations", data=data, headers={"X-CSRFToken": person.token}
    )


def decide(app, explanation_id, verb, note=""):
    reviewer = Reviewer(app)
    return reviewer.client.post(
        f"/review/explanations/{explanation_id}/{verb}",
        data={"csrf_token": reviewer.token, "note": note},
        headers={"HX-Request": "true"},
    )


def tan_tien_everywhere(app, ids) -> dict:
    """Tân Tiến's task 3 cell in Q1 as the matrix, the unit page and every export show it."""
    reviewer = Reviewer(app).client
    query = f"plan={ids['plan']}&quarter=1"
    row = matrix(reviewer.get(f"/compliance?{query}").get_data(as_text=True))["Tân Tiến"]
    unit = reviewer.get(f"/compliance/unit?unit={ids['units']['tan-tien']}&{query}")
    cell = reviewer.get(
        f"/compliance/cell?task={ids['tasks'][3]}&unit={ids['units']['tan-tien']}&{query}"
    )
    book = load_workbook(io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{query}").data))
    summary = [r for r in book["Tổng hợp"].iter_rows(values_only=True) if r[0] == "Tân Tiến"][0]
    task3 = [r for r in book["NV3"].iter_rows(values_only=True) if r[0] == "Tân Tiến"][0]
    sheet = list(book["Giải trình"].iter_rows(values_only=True))[1:]
    text = reviewer.get(f"/compliance/export.csv?{query}").data.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text)) if r[0].startswith("GT")]
    api = reviewer.get(f"/api/v1/compliance?{query}").json
    [api_cell] = [
        c
        for c in api["cells"]
        if c["unit_id"] == ids["units"]["tan-tien"] and c["task_id"] == ids["tasks"][3]
    ]
    report = Document(io.BytesIO(reviewer.get(f"/compliance/export.docx?{query}").data))
    paragraphs = [p.text for p in report.paragraphs]
    unit_line = re.search(r'unit-line (verdict-edge-\w+)" id="task-3"', unit.get_data(as_text=True))
    cell_page = cell.get_data(as_text=True)
    return {
        "matrix": row,
        "unit": unit_line.group(1),
        "cell": re.search(r'<span class="verdict (verdict-\w+)">', cell_page).group(1),
        "cell_says": [text for text in (REASON, "Có giải trình:") if text in cell_page],
        "summary": summary,
        "task_sheet": task3,
        "sheet": sheet,
        "csv": rows,
        "docx": paragraphs,
        "api": (api_cell["verdict"], api_cell["expected"], api_cell["accepted"]),
        "api_explanations": [x["reason"] for x in api_cell["explanations"]],
    }


def test_an_accepted_explanation_makes_the_cell_explained_everywhere_never_met(seeded, q1):
    ids = q1
    before = tan_tien_everywhere(seeded, ids)
    filed = file(seeded, ids, attachment=(io.BytesIO(PDF), "bien-ban-hong-loa.pdf"))
    assert filed.status_code == 201, filed.json
    assert filed.json["status"] == "submitted" and filed.json["period"] == "2024-Q1"
    waiting = Reviewer(seeded).client.get("/review").get_data(as_text=True)
    assert f'id="explanation-{filed.json["id"]}"' in waiting and REASON in waiting
    assert tan_tien_everywhere(seeded, ids) == before  # waiting changes nothing yet

    decided = decide(seeded, filed.json["id"], "accept", "Đã xác minh")
    assert decided.status_code == 200 and "Đã chấp nhận" in decided.get_data(as_text=True)
    after = tan_tien_everywhere(seeded, ids)
    task3 = list(ids["tasks"]).index(3)
    assert before["matrix"][task3] == ("verdict-unmet", "6/13")
    assert after["matrix"][task3] == ("verdict-explained", "6/13")
    assert before["api"] == ("unmet", 13, 6) and after["api"] == ("explained", 13, 6)
    assert before["api_explanations"] == [] and after["api_explanations"] == [REASON]
    assert after["cell"] == "verdict-explained" and before["cell"] == "verdict-unmet"
    assert after["cell_says"] == [REASON, "Có giải trình:"] and before["cell_says"] == []
    assert after["unit"] == "verdict-edge-explained" and before["unit"] == "verdict-edge-unmet"
    assert "Có giải trình" in after["summary"][1 + task3]
    assert "6/13 Có giải trình" in after["task_sheet"]
    assert f"2024-Q1: {REASON}" in after["task_sheet"]
    assert [(r[1], r[2], r[3], r[4]) for r in after["sheet"]] == [
        ("Tân Tiến", 3, "2024-Q1", REASON)
    ]
    assert before["sheet"] == [] and before["csv"] == []
    [row] = after["csv"]
    assert row[1] == "3" and row[3] == "Tân Tiến" and row[5] == "Giải trình" and row[8] == REASON
    assert any("Tân Tiến, nhiệm vụ 3, kỳ 2024-Q1: " + REASON in p for p in after["docx"])
    assert any("Không có giải trình nào" in p for p in before["docx"])
    # The unit heard of it, and both steps are in the audit record.
    with seeded.app_context():
        [notice] = db.session.scalars(
            select(Notification).where(Notification.kind == "explanation")
        )
        assert "đã được chấp nhận" in notice.text
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"explanation.file", "explanation.accept"} <= actions
    # The file is there for those who may see the unit, and no one else.
    attachment = f"/explanations/{filed.json['id']}/attachment"
    assert Reviewer(seeded).client.get(attachment).data == PDF
    assert SignedIn(seeded, "tho-xuong").client.get(attachment).status_code == 404


def test_a_refused_explanation_changes_nothing(seeded, q1):
    ids = q1
    before = tan_tien_everywhere(seeded, ids)
    filed = file(seeded, ids)
    assert decide(seeded, filed.json["id"], "refuse").status_code == 422  # a note is needed
    refused = decide(seeded, filed.json["id"], "refuse", "Không có biên bản")
    assert refused.status_code == 200
    assert tan_tien_everywhere(seeded, ids) == before
    again = decide(seeded, filed.json["id"], "accept", "")
    assert again.status_code == 409  # decided once
    with seeded.app_context():
        assert db.session.get(Explanation, filed.json["id"]).status == "refused"


def test_an_explanation_of_some_weeks_leaves_the_others_missing(seeded, q1):
    ids = q1
    filed = file(seeded, ids, period="2024-W07")
    assert filed.status_code == 201
    decide(seeded, filed.json["id"], "accept", "")
    row = matrix(
        Reviewer(seeded)
        .client.get(f"/compliance?plan={ids['plan']}&quarter=1")
        .get_data(as_text=True)
    )["Tân Tiến"]
    assert row[list(ids["tasks"]).index(3)] == ("verdict-unmet", "6/13")


def test_bad_explanations_are_refused_with_a_reason_and_nothing_is_kept(seeded, q1):
    ids = q1
    cases = [
        ({"period": "2024-Q5"}, 422, "period"),
        ({"period": "2023-Q1"}, 422, "period"),
        ({"period": "2024-W54"}, 422, "period"),
        ({"reason": "  "}, 422, "reason"),
        ({"reason": "x" * 2001}, 422, "reason"),
        ({"reason": "a\u202eb"}, 422, "reason"),
        ({"task_id": "abc"}, 422, "task_id"),
        ({"task_id": "99999999999999999999"}, 422, "task_id"),
        ({"attachment": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "virus.pdf")}, 415, "attachment"),
    ]
    for change, status, field in cases:
        response = file(seeded, ids, **change)
        assert response.status_code == status, (change, response.json)
        assert field in response.json["fields"] and response.json["error"]
    # A unit with no part in the task, and a second one for the same task and period.
    assert file(seeded, ids, officer="noi-vu").status_code == 422
    assert file(seeded, ids).status_code == 201
    assert file(seeded, ids).status_code == 409
    with seeded.app_context():
        assert len(db.session.scalars(select(Explanation)).all()) == 1


def test_the_unit_page_form_files_an_explanation(seeded, q1):
    ids = q1
    officer = SignedIn(seeded, "tan-tien")
    page = officer.client.get(f"/compliance/unit?plan={ids['plan']}&quarter=1")
    body = page.get_data(as_text=True)
    assert 'class="explanation-form"' in body and 'value="2024-Q1"' in body
    back = f"/compliance/unit?plan={ids['plan']}&quarter=1"
    sent = officer.client.post(
        "/explanations",
        data={
            "csrf_token": officer.token,
            "task_id": ids["tasks"][3],
            "period": "2024-Q1",
            "reason": REASON,
            "next": back,
        },
    )
    assert sent.status_code == 303 and sent.headers["Location"] == back
    assert REASON in officer.client.get(back).get_data(as_text=True)
    refused = officer.client.post(
        "/explanations",
        data={
            "csrf_token": officer.token,
            "task_id": ids["tasks"][3],
            "period": "Q1",
            "reason": "x",
        },
    )
    assert refused.status_code == 422 and "2024-Q1" in refused.get_data(as_text=True)
