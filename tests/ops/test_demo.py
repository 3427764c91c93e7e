"""`flask wardapp demo`: a year of believable evidence, loaded once."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from wardapp.auth.models import User
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.plans.models import Plan


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_demo_fills_every_screen_and_runs_twice_without_duplicates(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["wardapp", "demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        statuses = dict(
            db.session.execute(
                select(Evidence.status, func.count()).group_by(Evidence.status)
            ).all()
        )
        evidence = db.session.scalar(select(func.count(Evidence.id)))
        photos = db.session.scalar(select(func.count(Media.id)).where(Media.role == "photo"))
        users = db.session.scalar(select(func.count(User.id)))
        codes = {w["code"] for ws in db.session.scalars(select(Evidence.warnings)) for w in ws}
        city = ZoneInfo("Asia/Ho_Chi_Minh")
        times = list(db.session.scalars(select(Evidence.occurred_at)))
        years = {e.astimezone(city).year for e in times}
        plans = {p.year: p.title for p in db.session.scalars(select(Plan))}
    now = datetime.now(UTC)
    assert users == 26
    assert evidence > 500 and photos > 50
    assert set(statuses) == {"approved", "returned", "submitted"}
    assert {"duplicate_photo", "exif_time_far", "outside_city"} <= codes
    # The shipped 2024 plan, and the same plan for this year with evidence up to today.
    assert years == {2024, now.year} and set(plans) == {2024, now.year}
    assert plans[now.year].endswith(f"năm {now.year} (bản trình diễn)")
    assert max(times) <= now
    second = runner.invoke(args=["wardapp", "demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Evidence.id))) == evidence
        assert db.session.scalar(select(func.count(User.id))) == 26


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_demo_matrix_scores_task_6_by_quarter_so_the_dashboard_has_verdicts(app):
    """The plan gives task 6 no number; the demo asks one item a quarter, as Phòng VHTT may on
    the settings page (audited), so the dashboard shows met and unmet, not only "không tính"."""
    from support.client import AuthActions
    from support.pages import matrix
    from wardapp.audit.models import AuditEvent
    from wardapp.plans.models import Task

    assert app.test_cli_runner().invoke(args=["wardapp", "demo"]).exit_code == 0
    with app.app_context():
        for task6 in db.session.scalars(select(Task).where(Task.number == 6)):  # both plans
            assert (task6.min_count, task6.period) == (1, "quarter")
        assert db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "task.rule_settings")
        )
        plan_id = db.session.scalar(select(Plan.id).where(Plan.year == 2024))
    client = app.test_client()
    AuthActions(client).login("vhtt")
    rows = matrix(client.get(f"/compliance?plan={plan_id}&quarter=1").get_data(as_text=True))
    task6_cells = [cells[5] for cells in rows.values() if cells[5][0] != "none"]  # column 6
    assert sum(cls == "verdict-met" for cls, _ in task6_cells) >= 16  # without it: none


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.app_config(DEMO=True)
def test_a_demo_says_so_lists_its_accounts_and_opens_on_this_year_s_plan(app):
    """The newcomer's first look: a banner, the accounts on the sign-in page (the overseer
    not to be mistaken for Phòng Nội vụ's officer), and an officer's home on this year."""
    from support.client import AuthActions

    assert app.test_cli_runner().invoke(args=["wardapp", "demo"]).exit_code == 0
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    assert "Bản trình diễn" in login and "wardapp-demo" in login
    for account in ("admin", "vhtt", "giamsat", "tho-xuong", "noi-vu"):
        assert f'data-username="{account}"' in login and f"<code>{account}</code>" in login
    assert "noivu" not in login
    AuthActions(client).login("tho-xuong")
    home = client.get("/").get_data(as_text=True)
    year = datetime.now(UTC).year
    assert f"năm {year} (bản trình diễn)" in home
    assert "đã qua năm" not in home  # the plan is not over


def test_without_demo_mode_the_sign_in_page_lists_no_accounts(client):
    login = client.get("/login").get_data(as_text=True)
    assert "Tài khoản dùng thử" not in login and "Bản trình diễn" not in login
