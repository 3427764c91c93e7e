"""Plans corrected in the app: a task's edit reaches the capture form and the compliance
picture, on the record with before and after; a task with evidence is retired, never deleted."""

from sqlalchemy import select

from support.client import signed_in
from support.evidence import Officer
from wardapp.audit.models import AuditEvent
from wardapp.compliance.picture import compliance_for
from wardapp.core.periods import Period
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task
from wardapp.units.models import Unit


def ids(app) -> dict:
    with app.app_context():
        units = {u.code: u.id for u in db.session.scalars(select(Unit))}
        task = db.session.scalar(select(Task).where(Task.number == 6))
        return {
            "plan": task.plan_id,
            "task": task.id,
            "units": units,
            "leads": [a.unit_id for a in task.assignments if a.role == "lead"],
        }


def cell_of(app, number: int, unit_code: str):
    with app.app_context():
        plan = db.session.scalar(select(Plan))
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        picture = compliance_for(plan, Period.quarter(2024, 1))
        task = next((t for t in picture.tasks if t.number == number), None)
        return task and picture.cell(task.id, unit.id)


def edit(admin, token, made, **changes):
    form = {
        "csrf_token": token,
        "text": "Treo pano, áp phích tuyên truyền CCHC tại nơi công cộng",
        "short_title": "Pano, áp phích CCHC",
        "kinds": ["site_photo"],
        "places": "Cổng chào\nBộ phận một cửa",
        "lead_ids": made["leads"],
        "coordinating_ids": [],
        "rule": "per_period",
        "deadline": "",
        "when_text": "",
    }
    form.update(changes)
    return admin.post(f"/plans/{made['plan']}/tasks/{made['task']}/edit", data=form)


def test_an_edited_task_changes_the_capture_form_and_the_picture_on_the_record(seeded):
    made = ids(seeded)
    officer, _t = signed_in(seeded, "tho-xuong")
    capture = f"/tasks/{made['task']}/new"
    assert "Tin bài" not in officer.get(capture).get_data(as_text=True)
    assert cell_of(seeded, 6, "tho-xuong") is not None

    admin, token = signed_in(seeded, "admin")
    assert admin.get(f"/plans/{made['plan']}/tasks/{made['task']}/edit").status_code == 200
    leads = [u for u in made["leads"] if u != made["units"]["tho-xuong"]]
    response = edit(admin, token, made, kinds=["site_photo", "publication"], lead_ids=leads)
    assert response.status_code == 303

    with seeded.app_context():
        task = db.session.get(Task, made["task"])
        assert task.kinds == ["site_photo", "publication"]
        assert task.places == ["Cổng chào", "Bộ phận một cửa"]
        assert task.short_title == "Pano, áp phích CCHC"
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.update"))
        assert event.details["before"]["kinds"] == ["broadcast", "meeting", "site_photo"]
        assert event.details["after"]["kinds"] == ["site_photo", "publication"]
        assert made["units"]["tho-xuong"] in event.details["before"]["lead"]
        assert made["units"]["tho-xuong"] not in event.details["after"]["lead"]
    # Thọ Xương no longer leads it: off its capture form and out of its row of the picture.
    assert officer.get(capture).status_code == 403
    assert cell_of(seeded, 6, "tho-xuong") is None
    song_mai, _t = signed_in(seeded, "song-mai")
    page = song_mai.get(capture).get_data(as_text=True)
    assert "Tin bài" in page  # two kinds now: the officer chooses


def test_bad_edits_are_refused_and_change_nothing(seeded):
    made = ids(seeded)
    admin, token = signed_in(seeded, "admin")
    for changes, told in (
        ({"kinds": []}, "loại minh chứng"),
        ({"lead_ids": []}, "đơn vị chủ trì"),
        ({"rule": "deadline", "deadline": ""}, "cần ngày hạn"),
        ({"rule": "deadline", "deadline": "2025-03-31"}, "năm 2024"),
        ({"rule": "sometimes"}, ""),
    ):
        response = edit(admin, token, made, **changes)
        assert response.status_code == 422, changes
        assert told in response.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.get(Task, made["task"]).kinds == ["broadcast", "meeting", "site_photo"]
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "task.update")
        ).all()


def test_a_task_with_evidence_is_never_deleted_but_may_be_retired(seeded):
    made = ids(seeded)
    assert Officer(seeded, "tho-xuong").site_photo().status_code == 201
    admin, token = signed_in(seeded, "admin")
    base = f"/plans/{made['plan']}/tasks/{made['task']}"
    refused = admin.post(f"{base}/delete", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "không thể xóa" in refused.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.get(Task, made["task"]) is not None

    assert (
        admin.post(f"{base}/retire", data={"csrf_token": token, "retired": "1"}).status_code == 303
    )
    officer, _t = signed_in(seeded, "tho-xuong")
    assert officer.get(f"/tasks/{made['task']}/new").status_code == 403
    assert made["task"] not in [t["id"] for t in officer.get("/api/v1/tasks").json["tasks"]]
    assert cell_of(seeded, 6, "tho-xuong") is None
    assert "Ngừng áp dụng" in admin.get(f"/plans/{made['plan']}").get_data(as_text=True)
    assert (
        admin.post(f"{base}/retire", data={"csrf_token": token, "retired": "0"}).status_code == 303
    )
    assert cell_of(seeded, 6, "tho-xuong") is not None
    with seeded.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert "task.retire" in actions and "task.restore" in actions


def test_a_task_added_in_the_app_and_one_without_evidence_deleted(seeded):
    made = ids(seeded)
    admin, token = signed_in(seeded, "admin")
    response = admin.post(
        f"/plans/{made['plan']}/tasks/new",
        data={
            "csrf_token": token,
            "text": "Tổ chức cuộc thi tìm hiểu về cải cách hành chính",
            "kinds": ["meeting"],
            "lead_ids": [made["units"]["tho-xuong"]],
            "rule": "deadline",
            "deadline": "2024-09-30",
        },
    )
    assert response.status_code == 303
    with seeded.app_context():
        task = db.session.scalar(select(Task).order_by(Task.number.desc()))
        new_id, number = task.id, task.number
        assert (task.rule, str(task.deadline), task.when_text) == (
            "deadline",
            "2024-09-30",
            "Trước ngày 30/09/2024",
        )
        assert task.lead_text == "Phường Thọ Xương"
    officer, _t = signed_in(seeded, "tho-xuong")
    assert new_id in [t["id"] for t in officer.get("/api/v1/tasks").json["tasks"]]
    deleted = admin.post(f"/plans/{made['plan']}/tasks/{new_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    with seeded.app_context():
        assert db.session.get(Task, new_id) is None
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.delete"))
        assert event.details["before"]["number"] == number
