"""The pages every role starts from: home, plan, health, language, layout."""

from datetime import date

from sqlalchemy import text

from wardapp.core.periods import Period
from wardapp.extensions import db
from wardapp.plans.periods import view_for


def test_officer_home_lists_the_units_tasks_with_lead_or_coordinating(seeded, auth, client):
    auth.login("tho-xuong")
    body = client.get("/").get_data(as_text=True)
    assert "Nhiệm vụ của Phường Thọ Xương" in body
    assert "Mỗi tuần 1 lần" in body  # task 3, led by every ward
    assert "Chủ trì" in body and "Phối hợp" in body
    assert "Đường Võ Nguyên Giáp" not in body  # task 9 belongs to Phòng VHTT alone


def test_home_says_which_quarter_it_shows_when_today_is_past_the_plan(seeded, auth, client):
    auth.login("vhtt")
    body = client.get("/").get_data(as_text=True)
    # Today lies after 2024: the page says so and shows the plan's last quarter.
    assert "Quý IV/2024" in body
    assert "đã qua năm 2024 của kế hoạch" in body


def test_plan_view_before_during_and_after_the_plan_year():
    assert view_for(2024, date(2024, 5, 2)).period == Period.quarter(2024, 2)
    assert view_for(2024, date(2024, 5, 2)).note is None
    assert view_for(2024, date(2026, 11, 26)).period == Period.quarter(2024, 4)
    assert view_for(2024, date(2023, 12, 31)).period == Period.quarter(2024, 1)
    assert view_for(2024, date(2026, 1, 1), quarter=2).period == Period.quarter(2024, 2)
    assert Period.quarter(2024, 1).end == date(2024, 3, 31)
    assert Period.quarter(2024, 4).end == date(2024, 12, 31)


def test_plan_page_shows_every_task_with_its_rule(seeded, auth, client):
    auth.login("giamsat")
    with seeded.app_context():
        plan_id = db.session.execute(text("SELECT id FROM plan")).scalar()
    body = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    for number in range(1, 11):
        assert f'id="task-{number}"' in body
    assert "31/03/2024" in body


def test_pages_carry_the_csrf_meta_and_the_pinned_htmx(seeded, client):
    body = client.get("/login").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in body
    assert "vendor/htmx-2.0.11.min.js" in body
    assert 'name="viewport"' in body


def test_responses_carry_security_headers(seeded, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_language_switch_turns_the_page_english(seeded, auth, client):
    token = auth.token("/login")
    client.post("/lang/en", data={"csrf_token": token, "next": "/login"})
    body = client.get("/login").get_data(as_text=True)
    assert "Sign in" in body
    client.post("/lang/vi", data={"csrf_token": auth.token("/login"), "next": "/login"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_healthz_answers_200_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] is True


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    from support.app import make_app

    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    app = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"}, tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False
