"""The rule settings page: each task's minimum, deadline and who is scored, audited; past a
few units on a task, who is scored is a rule and the units treated the other way."""

import re

import pytest
from sqlalchemy import select

from support.pages import matrix
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.compliance import scoring_forms
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit


def rule_token(page: str, task_id: int) -> str:
    """The CSRF token of one task's form on the rule settings page."""
    return re.search(rf'name="t{task_id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_reviewer_sets_a_tasks_minimum_and_the_change_is_audited(q1, seeded, auth, client):
    auth.login("vhtt")
    task6 = q1["tasks"][6]
    url = f"/compliance/plans/{q1['plan']}/tasks/{task6}/rules"
    page = client.get(f"/compliance/plans/{q1['plan']}/rules")
    token = rule_token(page.get_data(as_text=True), task6)
    response = client.post(
        url,
        data={
            f"t{task6}-csrf_token": token,
            f"t{task6}-min_count": "2",
            f"t{task6}-period": "quarter",
            f"t{task6}-scored_sent": "1",
            f"t{task6}-scored": [str(q1["units"]["tho-xuong"])],
        },
    )
    assert response.status_code == 303
    with seeded.app_context():
        task = db.session.get(Task, task6)
        assert (task.min_count, task.period) == (2, "quarter")
        assert [a.unit.code for a in task.assignments if a.scored] == ["tho-xuong"]
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "task.rule_settings")
        ).one()
        assert event.details["before"]["min_count"] is None
        assert event.details["after"]["min_count"] == 2 and event.details["after"]["scored"] == [
            "tho-xuong"
        ]
        assert event.actor_id == db.session.scalar(select(User.id).where(User.username == "vhtt"))
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert matrix(body)["Thọ Xương"][5] == ("verdict-unmet", "0/2")
    assert matrix(body)["Ngô Quyền"][5][0] == "verdict-unscored"


def test_a_deadline_outside_the_plan_year_is_refused_with_a_reason(q1, auth, client):
    auth.login("admin")
    task9 = q1["tasks"][9]
    page = client.get(f"/compliance/plans/{q1['plan']}/rules").get_data(as_text=True)
    token = rule_token(page, task9)
    response = client.post(
        f"/compliance/plans/{q1['plan']}/tasks/{task9}/rules",
        data={f"t{task9}-csrf_token": token, f"t{task9}-deadline": "2025-03-31"},
    )
    assert response.status_code == 422
    assert "Hạn phải nằm trong năm 2024 của kế hoạch." in response.get_data(as_text=True)


def test_saving_a_weekly_task_changes_only_who_is_scored(q1, seeded, auth, client):
    auth.login("vhtt")
    task3 = q1["tasks"][3]
    page = client.get(f"/compliance/plans/{q1['plan']}/rules").get_data(as_text=True)
    token = rule_token(page, task3)
    with seeded.app_context():
        leads_but_tan_tien = [
            str(a.unit_id)
            for a in db.session.get(Task, task3).assignments
            if a.role == "lead" and a.unit.code != "tan-tien"
        ]
    response = client.post(
        f"/compliance/plans/{q1['plan']}/tasks/{task3}/rules",
        data={
            f"t{task3}-csrf_token": token,
            f"t{task3}-scored_sent": "1",
            f"t{task3}-scored": leads_but_tan_tien,
        },
    )
    assert response.status_code == 303
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert matrix(body)["Tân Tiến"][2] == ("verdict-unscored", "–")
    assert matrix(body)["Thọ Xương"][2] == ("verdict-met", "13/13")


def test_a_post_that_leaves_settings_out_keeps_them_as_they_were(q1, seeded, auth, client):
    auth.login("vhtt")
    task6 = q1["tasks"][6]
    url = f"/compliance/plans/{q1['plan']}/tasks/{task6}/rules"
    page = client.get(f"/compliance/plans/{q1['plan']}/rules").get_data(as_text=True)
    token = rule_token(page, task6)
    assert f'name="t{task6}-scored_sent" value="1"' in page  # what the browser's form sends
    with seeded.app_context():
        task = db.session.get(Task, task6)
        task.min_count, task.period = 3, "quarter"
        before = sorted(a.unit_id for a in task.assignments if a.scored)
        db.session.commit()
    assert before  # leads are scored
    partial = client.post(url, data={f"t{task6}-csrf_token": token})
    assert partial.status_code == 303
    only_minimum = client.post(
        url, data={f"t{task6}-csrf_token": token, f"t{task6}-min_count": "4"}
    )
    assert only_minimum.status_code == 303
    with seeded.app_context():
        task = db.session.get(Task, task6)
        assert (task.min_count, task.period) == (4, "quarter")
        assert sorted(a.unit_id for a in task.assignments if a.scored) == before


def test_a_reviewer_of_some_units_cannot_change_how_the_plan_is_scored(q1, seeded, auth, client):
    with seeded.app_context():
        from wardapp.auth import services as accounts

        accounts.create_user(
            None,
            username="scoped2",
            password="mat-khau-123",
            display_name="R",
            role="reviewer",
            unit=None,
            scoped_units=[db.session.get(Unit, q1["units"]["tho-xuong"])],
        )
        db.session.commit()
    auth.login("scoped2", "mat-khau-123")
    assert client.get(f"/compliance/plans/{q1['plan']}/rules").status_code == 403


@pytest.fixture
def few_boxes(monkeypatch):
    """A box for each unit up to five: the demo city's tasks, with 16 to 22 units, get the
    rule a province's tasks get."""
    monkeypatch.setattr(scoring_forms, "CHECKS_UP_TO", 5)


def parts(app, task_id: int) -> dict[str, tuple[str, bool]]:
    with app.app_context():
        task = db.session.get(Task, task_id)
        return {a.unit.code: (a.role, a.scored) for a in task.assignments}


def scored(app, task_id: int) -> set[str]:
    return {code for code, (_role, on) in parts(app, task_id).items() if on}


def save_rule(client, q1, task_id: int, **fields):
    """One task's form sent from the settings page as a browser sends it."""
    page = client.get(f"/compliance/plans/{q1['plan']}/rules").get_data(as_text=True)
    data = {f"t{task_id}-{name}": value for name, value in fields.items()}
    data[f"t{task_id}-csrf_token"] = rule_token(page, task_id)
    return client.post(f"/compliance/plans/{q1['plan']}/tasks/{task_id}/rules", data=data)


def shown_rule(response, task_id: int) -> tuple[str, set[str]]:
    """The rule ticked on the page for a task, and the codes in its exceptions box."""
    page = response.get_data(as_text=True)
    [mode] = [
        re.search(r'value="(\w+)"', tag).group(1)
        for tag in re.findall(rf'<input[^>]*name="t{task_id}-scored_mode"[^>]*>', page)
        if " checked" in tag
    ]
    box = re.search(rf'<textarea[^>]*name="t{task_id}-scored_except"[^>]*>([^<]*)</textarea>', page)
    return mode, set(box.group(1).split())


def test_past_a_few_units_who_is_scored_is_a_rule_and_its_exceptions(
    q1, seeded, auth, client, few_boxes
):
    auth.login("vhtt")
    task3 = q1["tasks"][3]
    had = parts(seeded, task3)
    leads = {c for c, (role, _on) in had.items() if role == "lead"}
    partner = sorted(c for c, (role, _on) in had.items() if role != "lead")[0]
    page = client.get(f"/compliance/plans/{q1['plan']}/rules").get_data(as_text=True)
    assert f'name="t{task3}-scored"' not in page  # no box per unit
    assert (
        f"Đang chấm {len(leads)}/{len(leads)} đơn vị chủ trì và 0/{len(had) - len(leads)} "
        "đơn vị phối hợp." in page
    )
    assert shown_rule(client.get(f"/compliance/plans/{q1['plan']}/rules"), task3) == ("lead", set())
    response = save_rule(
        client, q1, task3, scored_mode="lead", scored_except=f"TAN-TIEN, {partner}\n"
    )
    assert response.status_code == 303
    assert scored(seeded, task3) == (leads - {"tan-tien"}) | {partner}
    body = client.get(f"/compliance?plan={q1['plan']}&quarter=1").get_data(as_text=True)
    assert matrix(body)["Tân Tiến"][2] == ("verdict-unscored", "–")
    with seeded.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "task.rule_settings")
        )
        assert "tan-tien" in event.details["before"]["scored"]
        assert "tan-tien" not in event.details["after"]["scored"]
    # The page says the same set again, as a rule and its exceptions.
    mode, exceptions = shown_rule(client.get(f"/compliance/plans/{q1['plan']}/rules"), task3)
    base = {"lead": leads, "all": set(had), "none": set()}[mode]
    assert base ^ exceptions == scored(seeded, task3)


def test_the_page_says_who_is_scored_by_the_rule_with_fewest_exceptions(
    q1, seeded, auth, client, few_boxes
):
    task3 = q1["tasks"][3]
    with seeded.app_context():
        for a in db.session.get(Task, task3).assignments:
            a.scored = a.unit.code != "tho-xuong"
        db.session.commit()
    auth.login("vhtt")
    rules = client.get(f"/compliance/plans/{q1['plan']}/rules")
    assert shown_rule(rules, task3) == ("all", {"tho-xuong"})


def test_unknown_codes_and_rules_are_refused_and_nothing_changes(
    q1, seeded, auth, client, few_boxes
):
    auth.login("admin")
    task3 = q1["tasks"][3]
    before = parts(seeded, task3)
    unknown = save_rule(
        client, q1, task3, scored_mode="all", scored_except="tho-xuong\nkhong-co-ma-nay"
    )
    assert unknown.status_code == 422
    text = unknown.get_data(as_text=True)
    assert "Các mã này không có phần việc trong nhiệm vụ: khong-co-ma-nay." in text
    bad_rule = save_rule(client, q1, task3, scored_mode="everyone")
    assert bad_rule.status_code == 422
    assert "Hãy chọn một cách chấm trong danh sách." in bad_rule.get_data(as_text=True)
    assert parts(seeded, task3) == before
