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
        statuses = dict(db.session.execute(
            select(Evidence.status, func.count()).group_by(Evidence.status)).all())
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
