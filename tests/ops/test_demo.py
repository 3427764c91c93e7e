"""`flask wardapp demo`: a year of believable evidence, loaded once."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from wardapp.auth.models import User
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db


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
        years = {e.astimezone(city).year for e in db.session.scalars(select(Evidence.occurred_at))}
    assert users == 26
    assert evidence > 500 and photos > 50
    assert set(statuses) == {"approved", "returned", "submitted"}
    assert {"duplicate_photo", "exif_time_far", "outside_city"} <= codes
    assert years == {2024}
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
    from wardapp.plans.models import Plan, Task

    assert app.test_cli_runner().invoke(args=["wardapp", "demo"]).exit_code == 0
    with app.app_context():
        task6 = db.session.scalar(select(Task).where(Task.number == 6))
        assert (task6.min_count, task6.period) == (1, "quarter")
        assert db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "task.rule_settings")
        )
        plan_id = db.session.scalar(select(Plan.id))
    client = app.test_client()
    AuthActions(client).login("vhtt")
    rows = matrix(client.get(f"/compliance?plan={plan_id}&quarter=1").get_data(as_text=True))
    task6_cells = [cells[5] for cells in rows.values() if cells[5][0] != "none"]  # column 6
    assert sum(cls == "verdict-met" for cls, _ in task6_cells) >= 16  # without it: none
