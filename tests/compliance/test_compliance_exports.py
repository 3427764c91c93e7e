"""The exports, read back the way the city reads them: openpyxl, python-docx, csv, zipfile."""

import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from support.client import AuthActions
from support.pages import matrix
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.media.app_store import storage

HYPERLINK = re.compile(r'^=HYPERLINK\("([^"]+)","[^"]*"\)$')


def decide(app, evidence_id: int, status: str) -> None:
    with app.app_context():
        evidence = db.session.get(Evidence, evidence_id)
        evidence.status, evidence.reviewed_at = status, datetime(2024, 4, 9, tzinfo=UTC)
        db.session.commit()


def dashboard(client, query) -> dict:
    return matrix(client.get(f"/compliance?{query}").get_data(as_text=True))


def local_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "127.0.0.1:8000", url  # BASE_URL
    return parts.path


def test_the_workbooks_summary_matches_the_dashboard_cell_by_cell(reviewer, quarter):
    shown = dashboard(reviewer, quarter["query"])
    response = reviewer.get(f"/compliance/export.xlsx?{quarter['query']}")
    assert response.headers["Content-Disposition"].endswith("cchc-2024-q1.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    summary = book["Tổng hợp"]
    header = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Đơn vị")
    tasks = [h for h in header[1:] if h and h.startswith("NV")]
    found = {}
    for row in summary.iter_rows(min_row=7):
        if row[0].value in shown:
            found[row[0].value] = [
                (c.value.split(" ", 1)[0] if c.value else None, c.fill.fgColor.rgb)
                for c in row[1 : 1 + len(tasks)]
            ]
    assert found.keys() == shown.keys()
    colours = {
        "verdict-met": "00C6EFCE",
        "verdict-unmet": "00FFC7CE",
        "verdict-pending": "00FFEB9C",
        "verdict-unscored": "00EDEDED",
    }
    for unit, cells in shown.items():
        for (cls, ratio), (value, colour) in zip(cells, found[unit], strict=True):
            if cls == "none":
                assert value is None
            else:
                assert (value, colour) == (ratio, colours[cls]), unit
    assert shown["Thọ Xương"][2] == ("verdict-met", "13/13")
    assert shown["Dĩnh Trì"][2] == ("verdict-unmet", "9/13")
    assert shown["Ngô Quyền"][5] == ("verdict-pending", "0/1")
    assert book.sheetnames == ["Tổng hợp", "Minh chứng"] + [f"NV{n}" for n in range(1, 11)] + [
        "Giải trình"
    ]


def test_the_evidence_sheet_has_one_row_per_accepted_item_with_working_links(
    seeded, reviewer, quarter
):
    book = load_workbook(
        io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{quarter['query']}").data)
    )
    rows = list(book["Minh chứng"].iter_rows(values_only=True))
    header, items = rows[0], rows[1:]
    assert header[:4] == ("Mã minh chứng", "TT nhiệm vụ", "Nhiệm vụ", "Đơn vị")
    per_unit = {}
    for item in items:
        per_unit[(item[1], item[3])] = per_unit.get((item[1], item[3]), 0) + 1
    assert per_unit == {(3, "Thọ Xương"): 13, (3, "Dĩnh Trì"): 9, (6, "Thọ Xương"): 1}
    photo_row = next(i for i in items if i[0] == quarter["accepted_photo_item"])
    assert photo_row[9].startswith('=HYPERLINK("http://evil')  # typed text, kept as text …
    assert (
        book["Minh chứng"].cell(items.index(photo_row) + 2, 10).data_type == "s"
    )  # … not a formula
    links = [HYPERLINK.match(v).group(1) for v in photo_row[11:] if isinstance(v, str)]
    assert len(links) == 3 and photo_row[12] == 2  # the item, two photos
    anonymous = seeded.test_client()
    for url in links:
        assert reviewer.get(local_path(url)).status_code == 200
        refused = anonymous.get(local_path(url))
        assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert reviewer.get(local_path(links[1])).mimetype == "image/jpeg"


def test_each_task_has_a_sheet_with_its_units_and_what_they_miss(reviewer, quarter):
    book = load_workbook(
        io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{quarter['query']}").data)
    )
    rows = {r[0]: r for r in book["NV3"].iter_rows(values_only=True) if r[0]}
    assert rows["Nhiệm vụ 3: Chuyển đổi số trên hệ thống truyền thanh (mỗi tuần 1 lần)"]
    dinh_tri = rows["Dĩnh Trì"]
    assert dinh_tri[3:6] == (13, 9, 9) and dinh_tri[8] == "9/13 Chưa đạt"
    assert dinh_tri[9].startswith("Tuần 10 (04/03–10/03/2024)")


def test_the_csv_has_a_bom_vietnamese_text_and_the_workbooks_rows(seeded, reviewer, quarter):
    response = reviewer.get(f"/compliance/export.csv?{quarter['query']}")
    assert response.is_streamed and response.mimetype == "text/csv"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã minh chứng" and len(rows) - 1 == 13 + 9 + 1
    item = next(r for r in rows if r[0] == str(quarter["accepted_photo_item"]))
    assert item[3] == "Thọ Xương" and item[2].startswith("Tuyên truyền CCHC trên đài truyền thanh")
    assert item[6] == "20/03/2024 09:00" and item[7] == "Tuần 12 (18/03–24/03/2024)"
    assert item[9].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    photos = item[13].split("\n")
    assert len(photos) == 2 and int(item[12]) == 2
    for url in photos + [item[11]]:
        assert reviewer.get(local_path(url)).status_code == 200
        assert seeded.test_client().get(local_path(url)).status_code == 302
    assert not any(r[0] in (str(quarter["returned"]), str(quarter["waiting"])) for r in rows)


def test_the_report_is_laid_out_as_an_administrative_document(reviewer, quarter):
    response = reviewer.get(f"/compliance/export.docx?{quarter['query']}")
    document = Document(io.BytesIO(response.data))
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    ]
    assert [round(s.mm) for s in sizes] == [210, 297, 30, 15, 20, 20]  # A4, Decree 30 margins
    assert document.styles["Normal"].font.name == "Times New Roman"
    header, units, closing, annex = document.tables
    left, right = (c.text.split("\n") for c in header.rows[0].cells)
    assert left[:2] == ["UBND THÀNH PHỐ BẮC GIANG", "PHÒNG VĂN HÓA VÀ THÔNG TIN"]
    assert left[-1].startswith("Số:") and left[-1].endswith("/BC-VHTT")
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert right[-1] == "Bắc Giang, ngày …… tháng …… năm ……"  # a long-past quarter: to fill in
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert (
        "Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính nhà nước quý I năm 2024"
        in texts
    )
    shown = dashboard(reviewer, quarter["query"])
    table = {row.cells[1].text: [c.text for c in row.cells] for row in units.rows[1:]}
    assert table.keys() == shown.keys()
    for unit, cells in shown.items():
        verdicts = [cls for cls, _ in cells]
        assert table[unit][2:5] == [
            str(verdicts.count(v)) for v in ("verdict-met", "verdict-unmet", "verdict-pending")
        ], unit
    assert table["Dĩnh Trì"][5].startswith(  # the tasks it has not met, by their titles
        "NV3 – Chuyển đổi số trên hệ thống truyền thanh (mỗi tuần 1 lần); NV6 – Tuyên truyền"
    )
    recipients, signer = (c.text.split("\n") for c in closing.rows[0].cells)
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT."
    assert signer[0] == "TRƯỞNG PHÒNG"
    assert any("Đạt (1 đơn vị): Thọ Xương" in t for t in texts)


def test_the_reports_office_number_signer_and_recipients_come_from_the_settings(
    seeded, reviewer, quarter
):
    seeded.config.update(
        REPORT_OFFICE="Phòng Nội vụ",
        REPORT_SYMBOL="BC-PNV",
        REPORT_SIGNER_TITLE="KT. TRƯỞNG PHÒNG",
        REPORT_SIGNER_NAME="Nguyễn Văn A",
        REPORT_RECIPIENTS=["Sở Nội vụ tỉnh"],
    )
    document = Document(
        io.BytesIO(reviewer.get(f"/compliance/export.docx?{quarter['query']}").data)
    )
    left = document.tables[0].rows[0].cells[0].text.split("\n")
    assert left[1] == "PHÒNG NỘI VỤ" and left[-1].endswith("/BC-PNV")
    recipients, signer = (c.text.split("\n") for c in document.tables[2].rows[0].cells)
    assert "- Sở Nội vụ tỉnh;" in recipients and "- Phòng Nội vụ thành phố;" not in recipients
    assert signer[0] == "KT. TRƯỞNG PHÒNG" and signer[-1] == "Nguyễn Văn A"


def test_the_report_is_dated_today_while_the_quarter_is_current(reviewer, quarter, monkeypatch):
    monkeypatch.setattr("wardapp.core.i18n.today_local", lambda: datetime(2024, 4, 5).date())
    document = Document(
        io.BytesIO(reviewer.get(f"/compliance/export.docx?{quarter['query']}").data)
    )
    date_line = document.tables[0].rows[0].cells[1].text.split("\n")[-1]
    assert date_line == "Bắc Giang, ngày 05 tháng 4 năm 2024"


def test_the_zip_holds_the_accepted_photos_in_a_folder_per_task_and_unit(seeded, reviewer, quarter):
    response = reviewer.get(f"/compliance/export.zip?{quarter['query']}")
    assert response.is_streamed and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == 2
    folder = "NV06 Tuyên truyền CCHC trên đài truyền thanh cơ sở, bộ phận/Thọ Xương/"
    assert all(n.startswith(folder) for n in names)
    assert names[0].endswith(f"2024-03-20_0900_{quarter['accepted_photo_item']}_1.jpg")
    with seeded.app_context():
        evidence = db.session.get(Evidence, quarter["accepted_photo_item"])
        stored = storage().open(evidence.media[0].original_key).read()
    assert archive.read(names[0]) == stored


def test_exports_are_for_readers_of_the_picture_only(seeded, quarter, auth, client):
    for fmt in ("xlsx", "csv", "docx", "zip"):
        assert client.get(f"/compliance/export.{fmt}").status_code == 302
    auth.login("tho-xuong")
    for fmt in ("xlsx", "csv", "docx", "zip"):
        assert client.get(f"/compliance/export.{fmt}").status_code == 403


def test_the_excel_button_builds_the_workbook_in_the_background_and_offers_it(
    seeded, reviewer, quarter
):
    token = re.search(
        r'name="csrf_token" value="([^"]+)"',
        reviewer.get(f"/compliance?{quarter['query']}").get_data(as_text=True),
    ).group(1)
    started = reviewer.post(
        f"/compliance/exports?{quarter['query']}",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 202
    status = started.get_data(as_text=True)
    assert "<html" not in status and 'id="export-job"' in status
    file_url = re.search(r'href="(/compliance/exports/[\w-]+/file)"', status).group(1)
    book = load_workbook(io.BytesIO(reviewer.get(file_url).data))
    direct = load_workbook(
        io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{quarter['query']}").data)
    )
    assert [r[:11] for r in book["Minh chứng"].iter_rows(values_only=True)] == [
        r[:11] for r in direct["Minh chứng"].iter_rows(values_only=True)
    ]
    job_page = file_url.removesuffix("/file")
    other = seeded.test_client()
    assert AuthActions(other).login("noivu").status_code == 302
    assert other.get(job_page).status_code == 404  # a job is its owner's
    assert other.get(file_url).status_code == 404


def test_a_running_job_polls_itself_and_a_page_without_script_refreshes(seeded, reviewer, quarter):
    from datetime import UTC, datetime, timedelta

    from wardapp.compliance.exports import jobs as export_jobs
    from wardapp.jobs.models import Job

    job_id = "x" * export_jobs.JOB_ID
    with seeded.app_context():
        user_id = db.session.scalar(select(Evidence.submitted_by_id))  # any user: the owner
        db.session.add(
            Job(
                id=job_id,
                kind=export_jobs.KIND,
                params={"filename": "cchc-2024-q1.xlsx"},
                owner_id=user_id,
                state="running",
                lease_until=datetime.now(UTC) + timedelta(seconds=60),
                done=5,
                total=20,
            )
        )
        db.session.commit()
    with seeded.test_request_context():
        found = export_jobs.find(job_id, user_id)
        assert (found.state, found.percent, found.stale) == ("running", 25, False)
        assert export_jobs.find(job_id, user_id + 1) is None
        assert export_jobs.find("../../etc", user_id) is None
    with seeded.test_request_context():
        from flask import render_template

        html_text = render_template("compliance/export_job.html", job=found)
    assert 'hx-trigger="load delay:1s"' in html_text and 'http-equiv="refresh"' in html_text
    assert "5/20" in html_text


@pytest.mark.parametrize("backend", ["sqlite"])
def test_each_units_rows_are_read_through_the_task_unit_date_index(seeded, reviewer, quarter):
    """Every per-unit read of an export is a range of (task, unit, occurred_at), whatever
    other index could also serve it: SQLite without statistics once chose the queue's
    (status, occurred_at) index here and read the whole window once per unit."""
    from sqlalchemy import event

    with seeded.app_context():
        engine = db.engine
    reads = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "LEFT OUTER JOIN media" in statement and "evidence.task_id =" in statement:
            reads.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert reviewer.get(f"/compliance/export.csv?{quarter['query']}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert reads
    with seeded.app_context():
        for statement, parameters in reads[:5]:
            plan = (
                db.session.connection()
                .exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                .all()
            )
            first = plan[0][-1]
            assert "ix_evidence_task_unit_occurred" in first, plan


@pytest.mark.app_config(BASE_URL="https://minhchung.example.gov.vn")
def test_links_in_the_files_come_from_the_configured_address_not_the_requests_host(
    reviewer, quarter
):
    forged = {"Host": "evil.example"}
    session = reviewer.get_cookie("session")
    reviewer.set_cookie("session", session.value, domain="evil.example")  # sent to that host
    csv_text = reviewer.get(f"/compliance/export.csv?{quarter['query']}", headers=forged).get_data(
        as_text=True
    )
    workbook = reviewer.get(f"/compliance/export.xlsx?{quarter['query']}", headers=forged)
    assert workbook.status_code == 200, workbook.status_code
    book = load_workbook(io.BytesIO(workbook.data))
    cells = [
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    ] + [
        c.hyperlink.target
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.hyperlink
    ]
    links = [t for t in cells + csv_text.split(",") if "://" in t and "HYPERLINK" not in t]
    assert links and all("https://minhchung.example.gov.vn/" in t for t in links)
    assert "evil.example" not in csv_text.replace('"http://evil.example"', "")


def test_every_sheet_of_the_workbook_is_ready_to_print_and_read(reviewer, quarter):
    """Widths for every column, the header frozen, filtered and printed on every page, A4
    landscape as wide as the page: the file the city prints and files as it comes."""
    book = load_workbook(
        io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{quarter['query']}").data)
    )
    heads = {"Tổng hợp": 6, "Minh chứng": 1, "NV3": 5, "NV6": 5, "Giải trình": 1}
    for ws in book.worksheets:
        head = heads.get(ws.title, 5)
        used = [c.column_letter for c in ws[head] if c.value is not None]
        assert used, ws.title
        for letter in used:
            assert ws.column_dimensions[letter].width >= 6, (ws.title, letter)
        assert ws.freeze_panes in (f"A{head + 1}", f"B{head + 1}"), ws.title
        first, last = ws.auto_filter.ref.split(":")
        assert first == f"A{head}" and last.startswith(used[-1]), (ws.title, ws.auto_filter.ref)
        assert ws.print_title_rows == f"${head}:${head}", ws.title
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
    evidence = book["Minh chứng"]
    assert evidence.auto_filter.ref == f"A1:P{evidence.max_row}"  # down to the last item
    assert evidence.max_row == 1 + 13 + 9 + 1


def test_the_workbook_never_contradicts_itself_nor_speaks_of_iso_weeks(reviewer, quarter):
    book = load_workbook(
        io.BytesIO(reviewer.get(f"/compliance/export.xlsx?{quarter['query']}").data)
    )
    every = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    ]
    assert not any("ISO" in t or re.search(r"\d{4}-W\d\d", t) for t in every)
    assert not any("Thường xuyên — Thường xuyên" in t for t in every)
    for ws in book.worksheets[2:]:
        rows = list(ws.iter_rows(min_row=6, values_only=True))
        for row in rows:
            scored, verdict = row[2], row[8]
            assert (scored == "Có") == ("Không tính" not in verdict), (ws.title, row)
            if scored == "Không":
                assert row[10], (ws.title, row)  # says why
    nv1 = [r[0] for r in book["NV1"].iter_rows(max_row=3, values_only=True)]
    assert "chỉ ghi nhận, không chấm điểm" in nv1[2] and nv1[2].startswith("Kế hoạch yêu cầu:")
    week = book["Minh chứng"]["H2"].value
    assert re.fullmatch(r"Tuần \d+ \(\d\d/\d\d–\d\d/\d\d/2024\)", week), week


def test_the_csv_for_a_vietnamese_excel_is_separated_by_semicolons_and_offered(reviewer, quarter):
    raw = reviewer.get(f"/compliance/export.csv?{quarter['query']}&sep=semicolon").data
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM stays
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    comma = list(
        csv.reader(
            io.StringIO(
                reviewer.get(f"/compliance/export.csv?{quarter['query']}").data.decode("utf-8-sig")
            )
        )
    )
    assert rows == comma and rows[0][:2] == ["Mã minh chứng", "TT nhiệm vụ"]
    assert text.splitlines()[0].startswith("Mã minh chứng;TT nhiệm vụ;")
    refused = reviewer.get(f"/compliance/export.csv?{quarter['query']}&sep=tab")
    assert refused.status_code == 400 and "Dấu phân cách" in refused.get_data(as_text=True)
    page = reviewer.get(f"/compliance?{quarter['query']}").get_data(as_text=True)
    assert "sep=semicolon" in page and re.search(r'export\.csv\?[^"]*"', page)


def test_the_report_states_whether_each_deadline_was_met_and_groups_the_idle_tasks(
    seeded, reviewer, quarter
):
    from support.compliance import local
    from support.evidence import make_evidence
    from wardapp.plans.models import Task

    with seeded.app_context():
        task9, task10 = (db.session.scalar(select(Task).where(Task.number == n)) for n in (9, 10))
        lead9, lead10 = (
            next(a.unit for a in t.assignments if a.role == "lead") for t in (task9, task10)
        )
        make_evidence(task9, lead9, local(2024, 3, 31, 23, 30), "approved")
        make_evidence(task10, lead10, local(2024, 4, 1, 0, 30), "approved")  # a day late
        db.session.commit()
        names = lead9.short_name, lead10.short_name
    document = Document(
        io.BytesIO(reviewer.get(f"/compliance/export.docx?{quarter['query']}").data)
    )
    texts = [p.text for p in document.paragraphs]
    nine = texts.index("2.3. NV9 – Pano, khẩu hiệu trên đường Võ Nguyên Giáp, Tây Yên Tử")
    assert texts[nine + 1] == (
        f"Hạn hoàn thành 31/03/2024. Hoàn thành đúng hạn (1 đơn vị): {names[0]}. "
        "Đã duyệt 1 minh chứng."
    )
    ten = texts.index("2.4. NV10 – Khẩu hiệu trên pano tấm lớn cửa ngõ thành phố")
    assert texts[ten + 1] == (
        f"Hạn hoàn thành 31/03/2024. Không hoàn thành đúng hạn (1 đơn vị): {names[1]}. "
        "Đã duyệt 0 minh chứng."
    )
    # Tasks 1, 2, 4, 5, 7, 8: recorded only, nothing accepted: one paragraph, not six lines.
    assert not any("đã duyệt 0 minh chứng" in t for t in texts)
    grouped = texts.index("2.5. Các nhiệm vụ chưa có minh chứng được duyệt")
    assert texts[grouped + 1].startswith("6 nhiệm vụ chỉ ghi nhận")
    assert [t.split(" – ")[0] for t in texts[grouped + 2 : grouped + 8]] == [
        "- NV1",
        "- NV2",
        "- NV4",
        "- NV5",
        "- NV7",
        "- NV8",
    ]
    annex = document.tables[3]
    head = [c.text for c in annex.rows[0].cells]
    assert head == ["Đơn vị"] + [f"NV{n}" for n in range(1, 11)]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in annex.rows[1:]}
    assert rows["Thọ Xương"][2] == "13/13 Đạt" and rows["Dĩnh Trì"][2] == "9/13 Chưa đạt"
    assert annex.rows[0]._tr.trPr.xpath("./w:tblHeader")  # repeated on each page
    landscape = document.sections[-1]
    assert round(landscape.page_width.mm) == 297 and round(landscape.page_height.mm) == 210
