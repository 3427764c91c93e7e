"""The compliance pages: the matrix, the drill-down, a unit's page, the officer's home (the
rule settings page has test_rule_settings)."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from support.pages import matrix
from wardapp.core.periods import Period
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def test_the_matrix_colours_each_cell_by_verdict_and_says_which_quarter(q1, auth, client):
    auth.login("vhtt")
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert "Quý I/2024" in body and "01/01/2024 – 31/03/2024" in body
    rows = matrix(body)
    task3 = 2  # third column: task 3
    assert rows["Thọ Xương"][task3] == ("verdict-met", "13/13")
    assert rows["Ngô Quyền"][task3] == ("verdict-pending", "12/13")
    assert rows["Tân Tiến"][task3] == ("verdict-unmet", "6/13")
    assert rows["Phòng VHTT"][task3] == ("verdict-unscored", "–")  # coordinates task 3
    assert "style=" not in body


def test_without_a_quarter_the_dashboard_says_it_shows_the_plans_last_one(q1, auth, client):
    auth.login("giamsat")
    body = client.get("/compliance").get_data(as_text=True)
    assert "Quý IV/2024" in body and "đã qua năm 2024 của kế hoạch" in body


def test_month_and_year_views_name_their_period(q1, auth, client):
    auth.login("vhtt")
    march = client.get(f"/compliance?plan={q1['plan']}&month=3").get_data(as_text=True)
    assert "Tháng 3/2024" in march and matrix(march)["Thọ Xương"][2] == ("verdict-met", "4/4")
    year = client.get(f"/compliance?plan={q1['plan']}&period=year").get_data(as_text=True)
    assert "Năm 2024" in year and matrix(year)["Thọ Xương"][2] == ("verdict-unmet", "13/52")


def test_a_cell_opens_its_evidence_as_a_fragment_for_htmx_and_a_page_otherwise(q1, auth, client):
    auth.login("vhtt")
    url = (
        f"/compliance/cell?plan={q1['plan']}&quarter=1&task={q1['tasks'][3]}"
        f"&unit={q1['units']['ngo-quyen']}"
    )
    fragment = client.get(url, headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "Chờ duyệt" in text
    assert len(re.findall(r'href="/evidence/\d+"', text)) == 13
    assert "HX-Request" in fragment.headers["Vary"]
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and "Ngô Quyền" in page


def test_the_weekly_chart_is_drawn_on_the_server_as_svg(q1, auth, client):
    auth.login("vhtt")
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert "<svg" in body
    # week 1 of 2024: Thọ Xương, Ngô Quyền and Tân Tiến each had one accepted broadcast
    assert "<title>Tuần 1 (01/01–07/01/2024): 3</title>" in body
    assert "<title>Tuần 13 (25/03–31/03/2024): 1</title>" in body  # Ngô Quyền's waits


def test_a_reviewer_scoped_to_a_ward_sees_only_that_ward(q1, seeded, auth, client):
    with seeded.app_context():
        from wardapp.auth import services as accounts

        ward = db.session.get(Unit, q1["units"]["tho-xuong"])
        accounts.create_user(
            None,
            username="scoped",
            password="mat-khau-123",
            display_name="R",
            role="reviewer",
            unit=None,
            scoped_units=[ward],
        )
        db.session.commit()
    auth.login("scoped", "mat-khau-123")
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert list(matrix(body)) == ["Thọ Xương"]
    other = (
        f"/compliance/cell?plan={q1['plan']}&quarter=1"
        f"&task={q1['tasks'][3]}&unit={q1['units']['tan-tien']}"
    )
    assert client.get(other).status_code == 404
    assert client.get(f"/compliance/unit?unit={q1['units']['tan-tien']}").status_code == 404
    csv_text = client.get(f"/compliance/export.csv?plan={q1['plan']}&quarter=1").get_data(
        as_text=True
    )
    assert "Thọ Xương" in csv_text and "Tân Tiến" not in csv_text


def test_an_officer_sees_only_their_own_units_page(q1, auth, client):
    auth.login("tan-tien")
    own = client.get("/compliance/unit?quarter=1").get_data(as_text=True)
    assert (
        "Tiến độ của Xã Tân Tiến" in own
        and "Còn thiếu:" in own
        and "Tuần 7 (12/02–18/02/2024)" in own
    )
    assert client.get(f"/compliance/unit?unit={q1['units']['tho-xuong']}").status_code == 404
    other = f"/compliance/cell?quarter=1&task={q1['tasks'][3]}&unit={q1['units']['tho-xuong']}"
    assert client.get(other).status_code == 404
    assert client.get("/compliance").status_code == 403


def test_the_officers_home_says_why_there_is_no_this_week_outside_the_plan_year(q1, auth, client):
    auth.login("tan-tien")
    body = client.get("/").get_data(as_text=True)
    assert "Việc cần làm · Quý IV/2024" in body
    assert "không thuộc năm 2024 của kế hoạch, nên không có việc “tuần này”" in body


def test_the_officers_home_lists_what_is_due_this_week_in_the_plan_year(
    q1, auth, client, monkeypatch
):
    monkeypatch.setattr("wardapp.core.i18n.today_local", lambda: date(2024, 3, 13))  # a Wednesday
    auth.login("tan-tien")
    body = client.get("/").get_data(as_text=True)
    assert "Việc cần làm · Quý I/2024" in body and "“tuần này”" not in body
    due = body[body.index("Tuần này, tháng này") : body.index("Còn thiếu trong")]
    assert "Tuần 11 (11/03–17/03/2024)" in due  # Tân Tiến stopped after week 6
    behind = body[body.index("Còn thiếu trong") :]
    assert "4 phần việc chưa có minh chứng được duyệt" in behind  # weeks 7–10


def test_the_matrix_puts_scored_tasks_first_and_says_why_the_rest_are_not_counted(q1, auth, client):
    auth.login("vhtt")
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    heads = re.findall(
        r'<span class="task-no">NV(\d+)</span><span class="task-title">([^<]+)', body
    )
    order = [int(n) for n, _title in heads]
    assert order[:3] == [3, 9, 10] and sorted(order[3:]) == [1, 2, 4, 5, 6, 7, 8]
    assert heads[0][1] == "Chuyển đổi số trên hệ thống truyền thanh (mỗi tuần 1 lần)"  # on touch
    assert "Được chấm" in body and "Chỉ ghi nhận, không chấm" in body
    why = body[body.index('class="card why-unscored"') :]
    why = why[: why.index("</section>")]
    assert "<strong>NV1, NV2, NV4, NV5, NV6, NV8</strong>: Chưa đặt mức tối thiểu" in why
    assert "NV7</strong>: Thực hiện khi có thay đổi" in why
    settings = f'href="/compliance/plans/{q1["plan"]}/rules"'
    assert settings in why  # a reviewer is led to where the minimum is set
    auth.logout()
    auth.login("giamsat")  # the overseer reads why, and who sets it
    overseer = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    why = overseer[overseer.index('class="card why-unscored"') :]
    assert settings not in why[: why.index("</section>")]
    assert "Phòng VHTT đặt mức này" in why


def test_a_unit_downloads_its_own_report(q1, auth, client):
    import io

    from docx import Document

    auth.login("tho-xuong")
    unit_page = client.get(f"/compliance/unit?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    link = re.search(r'href="(/compliance/unit/report\.docx\?[^"]+)"', unit_page).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("tho-xuong-cchc-2024-q1.docx")
    document = Document(io.BytesIO(response.data))
    left = document.tables[0].rows[0].cells[0].text.split("\n")
    assert left[1] == "UBND PHƯỜNG THỌ XƯƠNG"
    units = document.tables[1]
    assert [r.cells[1].text for r in units.rows[1:]] == ["Thọ Xương"]
    recipients = document.tables[2].rows[0].cells[0].text.split("\n")
    assert "- Phòng Văn hóa và Thông tin thành phố;" in recipients
    other = q1["units"]["ngo-quyen"]
    assert client.get(f"/compliance/unit/report.docx?unit={other}").status_code == 404
    auth.logout()
    auth.login("vhtt")
    assert client.get(f"/compliance/unit/report.docx?unit={other}&quarter=1").status_code == 200


def _two_quarters(app):
    """Task 3 (weekly) in Q3 and Q4/2024: Thọ Xương every week of both, Ngô Quyền every week
    of Q3 and half of Q4; one item of Tân Tiến still waiting."""
    from support.compliance import local, weekly_from
    from support.evidence import make_evidence

    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.number == 3))
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        q3, q4 = (Period.quarter(2024, n).weeks() for n in (3, 4))
        weekly_from(task, units["tho-xuong"], q3[0].monday, len(q3))
        weekly_from(task, units["tho-xuong"], q4[0].monday, len(q4))
        weekly_from(task, units["ngo-quyen"], q3[0].monday, len(q3))
        weekly_from(task, units["ngo-quyen"], q4[0].monday, 6)
        waiting_day = q4[2].monday + timedelta(days=1)
        make_evidence(task, units["tan-tien"], local(2024, waiting_day.month, waiting_day.day))
        db.session.commit()


def test_the_heads_home_ranks_the_units_and_compares_with_the_quarter_before(seeded, auth, client):
    _two_quarters(seeded)
    auth.login("giamsat")
    body = client.get("/").get_data(as_text=True)  # today is past 2024: its last quarter, said
    assert "đã qua năm 2024 của kế hoạch" in body and "Tình hình Quý IV/2024" in body
    head = body[body.index('class="card head-summary"') :]
    head = head[: head.index("</section>")]
    assert re.search(r"<strong>1</strong> minh chứng chờ duyệt", head)
    ranking = re.findall(
        r'<tr( class="behind")?>\s*<td>(\d+)</td>\s*<th scope="row"><a [^>]*>([^<]+)</a></th>'
        r"\s*<td><strong>([^<]+)</strong>[^\n]*\n\s*<td>(.*?)</td>",
        head,
    )
    rows = {
        name: (int(rank), bool(behind), done, re.sub(r"<[^>]+>", "", change))
        for behind, rank, name, done, change in ranking
    }
    assert rows["Thọ Xương"] == (1, False, "100 %", "±0 điểm")
    assert rows["Ngô Quyền"][1:] == (True, "0 %", "−100 điểm")
    assert rows["Tân Tiến"][1:3] == (True, "0 %")
    with seeded.app_context():
        task = db.session.scalar(select(Task).where(Task.number == 3))
        leads = sum(a.role == "lead" and a.scored and a.unit.active for a in task.assignments)
    assert list(rows)[0] == "Thọ Xương" and len(rows) == leads  # every unit scored in Q4
    assert "Quý III/2024:" in head  # the change is from the quarter before
    assert re.search(rf"<strong>{leads - 1}</strong> đơn vị còn nhiệm vụ chưa đạt", head)


def test_past_forty_units_the_heads_ranking_shows_the_first_and_the_last(
    seeded, auth, client, monkeypatch
):
    from wardapp.compliance import head as head_module

    _two_quarters(seeded)
    auth.login("giamsat")
    whole = client.get("/").get_data(as_text=True)
    ranks = [int(r) for r in re.findall(r"<tr(?: class=\"behind\")?>\s*<td>(\d+)</td>", whole)]
    monkeypatch.setattr(head_module, "RANKED_SHOWN", 4)
    body = client.get("/").get_data(as_text=True)
    shown = [int(r) for r in re.findall(r"<tr(?: class=\"behind\")?>\s*<td>(\d+)</td>", body)]
    assert shown == [1, 2, ranks[-2], ranks[-1]]
    assert f"… {len(ranks) - 4} đơn vị nữa: xem bảng tổng hợp" in body


def test_the_heads_home_inside_the_plan_year_shows_todays_quarter(
    seeded, auth, client, monkeypatch
):
    _two_quarters(seeded)
    monkeypatch.setattr("wardapp.core.i18n.today_local", lambda: date(2024, 8, 14))
    auth.login("vhtt")
    body = client.get("/").get_data(as_text=True)
    head = body[body.index('class="card head-summary"') :]
    assert "Tình hình Quý III/2024" in head and "đã qua năm" not in body
    assert "Quý II/2024:" in head  # compared with the quarter before
    officer = seeded.test_client()
    from support.client import AuthActions

    AuthActions(officer).login("tho-xuong")
    assert 'class="card head-summary"' not in officer.get("/").get_data(as_text=True)
