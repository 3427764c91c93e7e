"""Fixtures for the compliance tests: quarters of evidence the pages and exports are read on."""

import pytest
from sqlalchemy import select

from support.client import AuthActions
from support.compliance import local, make_plan, make_unit, plan_ids, weekly_from
from support.evidence import Officer, make_evidence, photo
from support.review import Reviewer, decide
from wardapp.auth.services import create_user
from wardapp.core.periods import Period
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task
from wardapp.units.models import Unit


@pytest.fixture
def q1(seeded):
    """Q1/2024: Thọ Xương broadcast every week (met), Ngô Quyền missed one week and has one
    waiting for review in it (pending), Tân Tiến did half (unmet)."""
    with seeded.app_context():
        task = db.session.scalar(select(Task).where(Task.number == 3))
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        weeks = Period.quarter(2024, 1).weeks()
        weekly_from(task, units["tho-xuong"], weeks[0].monday, 13)
        weekly_from(task, units["ngo-quyen"], weeks[0].monday, 12)
        make_evidence(task, units["ngo-quyen"], local(2024, 3, 27), "submitted")
        weekly_from(task, units["tan-tien"], weeks[0].monday, 6)
        db.session.commit()
    return plan_ids(seeded)


@pytest.fixture
def quarter(seeded):
    """Q1/2024 with real photo submissions for task 6 (one a quarter, scored) and factory
    broadcasts for task 3; one photo report sent back, one still waiting."""
    with seeded.app_context():
        task6 = db.session.scalar(select(Task).where(Task.number == 6))
        task6.min_count, task6.period = 1, "quarter"
        task3 = db.session.scalar(select(Task).where(Task.number == 3))
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        weekly_from(task3, units["tho-xuong"], Period.quarter(2024, 1).weeks()[0].monday, 13)
        weekly_from(task3, units["dinh-tri"], Period.quarter(2024, 1).weeks()[0].monday, 9)
        q2_in_local_time = local(2024, 4, 1, 0, 30)
        make_evidence(task3, units["dinh-tri"], q2_in_local_time, "approved")
        plan_id = db.session.scalar(select(Plan.id))
        db.session.commit()
    tho_xuong, ngo_quyen = Officer(seeded, "tho-xuong"), Officer(seeded, "ngo-quyen")
    two = tho_xuong.site_photo(
        photos=[photo(1), photo(2)],
        occurred_at="2024-03-20T09:00",
        note='=HYPERLINK("http://evil.example","bấm")',
    ).json["id"]
    returned = ngo_quyen.site_photo(photos=[photo(3)], occurred_at="2024-03-19T09:00").json["id"]
    waiting = ngo_quyen.site_photo(photos=[photo(4)], occurred_at="2024-03-21T09:00").json["id"]
    decide(seeded, two, "approved")
    decide(seeded, returned, "returned")
    return {
        "plan": plan_id,
        "accepted_photo_item": two,
        "returned": returned,
        "waiting": waiting,
        "query": f"plan={plan_id}&quarter=1",
    }


@pytest.fixture
def reviewer(seeded, quarter):
    """A client signed in as the city's reviewer, on ``quarter``."""
    client = seeded.test_client()
    assert AuthActions(client).login("vhtt").status_code == 302
    return client


@pytest.fixture
def one_unit_quarter(seeded):
    """Q1/2024 with one accepted photo for task 6 (so the ZIP has a folder to name), and a
    reviewer who sees Thọ Xương only (a picture of one unit is quick to export)."""
    officer = Officer(seeded, "tho-xuong")
    photo_item = officer.site_photo(occurred_at="2024-03-20T09:00").json["id"]
    decide(seeded, photo_item, "approved")
    with seeded.app_context():
        plan_id = db.session.scalar(select(Plan.id))
        unit = db.session.scalar(select(Unit).where(Unit.code == "tho-xuong"))
        create_user(
            None,
            username="vhtt-tho-xuong",
            password="wardapp-demo",
            display_name="Cán bộ VHTT",
            role="reviewer",
            scoped_units=[unit],
        )
        db.session.commit()
    return {
        "officer": officer,
        "reviewer": Reviewer(seeded, "vhtt-tho-xuong").client,
        "query": f"plan={plan_id}&quarter=1",
    }


@pytest.fixture
def ward(app):
    """A plan of 2024 and one ward of its own, inside an app context (rolled back after)."""
    with app.app_context():
        plan = make_plan(2024)
        unit = make_unit("Phường Thọ Xương")
        yield plan, unit
        db.session.rollback()
