"""Units merge on a day: the periods before it are judged and exported as they always were,
the periods after it list the new unit, accounts move, evidence keeps its unit."""

import io

from openpyxl import load_workbook
from sqlalchemy import select

from support.client import signed_in
from support.compliance import weekly_from
from support.pages import matrix
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.compliance.exports import views as export_views
from wardapp.core.i18n import now_local
from wardapp.core.periods import Period
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task
from wardapp.units.models import Unit

MERGE = [
    "wardapp",
    "merge-units",
    "tho-xuong",
    "ngo-quyen",
    "--into",
    "bac-giang",
    "--on",
    "2024-07-01",
]


def q2_evidence(app) -> dict:
    """Weekly broadcasts (task 3) in Q2/2024 for Thọ Xương (all weeks) and Ngô Quyền (half)."""
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.number == 3))
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        monday = Period.quarter(2024, 2).weeks()[0].monday
        weekly_from(task, units["tho-xuong"], monday, 13)
        weekly_from(task, units["ngo-quyen"], monday, 6)
        db.session.commit()
        return {
            "plan": db.session.scalar(select(Plan.id)),
            "evidence": {e.id: e.unit_id for e in db.session.scalars(select(Evidence))},
        }


def workbook_values(data: bytes) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def looks(client, plan_id: int, quarter: int) -> dict:
    query = f"plan={plan_id}&quarter={quarter}"
    return {
        "matrix": matrix(client.get(f"/compliance?{query}").get_data(as_text=True)),
        "csv": client.get(f"/compliance/export.csv?{query}").get_data(),
        "xlsx": workbook_values(client.get(f"/compliance/export.xlsx?{query}").get_data()),
    }


def test_a_merge_leaves_old_periods_alone_and_new_ones_list_the_merged_unit(seeded, monkeypatch):
    # The workbook says when it was made, to the minute: both exports are made at one moment.
    with seeded.app_context():
        made_at = now_local()
    monkeypatch.setattr(export_views, "now_local", lambda: made_at)
    made = q2_evidence(seeded)
    reviewer, _token = signed_in(seeded, "vhtt")
    before = looks(reviewer, made["plan"], 2)
    assert {"Thọ Xương", "Ngô Quyền"} <= before["matrix"].keys()

    result = seeded.test_cli_runner().invoke(args=[*MERGE, "--name", "Phường Bắc Giang"])
    assert result.exit_code == 0, result.output
    assert "tho-xuong, ngo-quyen → bac-giang" in result.output

    after = looks(reviewer, made["plan"], 2)
    assert after["matrix"] == before["matrix"]
    assert after["csv"] == before["csv"]
    assert after["xlsx"] == before["xlsx"]
    q3 = matrix(reviewer.get(f"/compliance?plan={made['plan']}&quarter=3").get_data(as_text=True))
    assert "Bắc Giang" in q3
    assert not {"Thọ Xương", "Ngô Quyền"} & q3.keys()
    assert len(q3) == len(before["matrix"]) - 1  # two became one

    with seeded.app_context():
        c = db.session.scalar(select(Unit).where(Unit.code == "bac-giang"))
        assert (c.kind, c.short_name, str(c.started_on)) == ("ward", "Bắc Giang", "2024-07-01")
        moved = db.session.scalars(select(User).where(User.unit_id == c.id)).all()
        assert {u.username for u in moved} == {"tho-xuong", "ngo-quyen"}
        assert {e.id: e.unit_id for e in db.session.scalars(select(Evidence))} == made["evidence"]
        gone = db.session.scalars(select(Unit).where(Unit.merged_into_id == c.id)).all()
        assert {u.code for u in gone} == {"tho-xuong", "ngo-quyen"}
        assert all(not u.active and str(u.ended_on) == "2024-07-01" for u in gone)
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "unit.merge"))
        assert set(event.details["accounts"]) == {"ngo-quyen", "tho-xuong"}
        assert event.details["on"] == "2024-07-01"

    # The merged unit's officer now reports for C and sees where C came from.
    officer, _token = signed_in(seeded, "tho-xuong")
    page = officer.get(f"/compliance/unit?plan={made['plan']}&quarter=3").get_data(as_text=True)
    assert "Tiến độ của Phường Bắc Giang" in page
    assert "Phường Thọ Xương" in page and "01/07/2024" in page
    assert officer.get("/api/v1/tasks").json  # C has the tasks A and B had


def test_a_merge_into_an_existing_unit_and_its_refusals(seeded):
    runner = seeded.test_cli_runner()
    bad = runner.invoke(
        args=["wardapp", "merge-units", "tho-xuong", "--into", "tho-xuong", "--on", "2024-07-01"]
    )
    assert bad.exit_code != 0 and "chính nó" in bad.output
    bad = runner.invoke(
        args=["wardapp", "merge-units", "no-such", "--into", "tho-xuong", "--on", "2024-07-01"]
    )
    assert bad.exit_code != 0 and "no-such" in bad.output
    bad = runner.invoke(
        args=["wardapp", "merge-units", "ngo-quyen", "--into", "tho-xuong", "--on", "1/7/24"]
    )
    assert bad.exit_code != 0 and "yyyy-mm-dd" in bad.output
    bad = runner.invoke(
        args=["wardapp", "merge-units", "ngo-quyen", "--into", "new-one", "--on", "2024-07-01"]
    )
    assert bad.exit_code != 0 and "--name" in bad.output
    good = runner.invoke(
        args=["wardapp", "merge-units", "ngo-quyen", "--into", "tho-xuong", "--on", "2024-07-01"]
    )
    assert good.exit_code == 0, good.output
    again = runner.invoke(
        args=["wardapp", "merge-units", "ngo-quyen", "--into", "tho-xuong", "--on", "2024-08-01"]
    )
    assert again.exit_code != 0 and "đã được sáp nhập" in again.output
    with seeded.app_context():
        ngo = db.session.scalar(select(Unit).where(Unit.code == "ngo-quyen"))
        assert ngo.merged_into.code == "tho-xuong" and str(ngo.ended_on) == "2024-07-01"


def test_the_admin_adds_renames_deactivates_and_merges_units_on_pages(seeded):
    admin, token = signed_in(seeded, "admin")
    assert "Thọ Xương" in admin.get("/admin/units").get_data(as_text=True)
    made = admin.post(
        "/admin/units/new",
        data={"csrf_token": token, "name": "Xã Đồng Sơn Mới", "kind": "commune", "active": "y"},
    )
    assert made.status_code == 303
    twice = admin.post(
        "/admin/units/new",
        data={"csrf_token": token, "name": "Xã Đồng Sơn Mới", "kind": "commune", "active": "y"},
    )
    assert twice.status_code == 422 and "Đã có đơn vị mã" in twice.get_data(as_text=True)
    with seeded.app_context():
        new = db.session.scalar(select(Unit).where(Unit.code == "dong-son-moi"))
        assert (new.kind, new.short_name) == ("commune", "Đồng Sơn Mới")
        song_mai = db.session.scalar(select(Unit).where(Unit.code == "song-mai"))
        ids = {u.code: u.id for u in db.session.scalars(select(Unit))}
    renamed = admin.post(
        f"/admin/units/{ids['dong-son-moi']}",
        data={"csrf_token": token, "name": "Xã Đồng Sơn", "short_name": "", "kind": "commune"},
    )
    assert renamed.status_code == 303  # "active" unticked: deactivated too
    with seeded.app_context():
        unit = db.session.get(Unit, ids["dong-son-moi"])
        assert (unit.name, unit.short_name, unit.active) == ("Xã Đồng Sơn", "Đồng Sơn", False)
        assert song_mai.code == "song-mai"
    no_target = admin.post(
        "/admin/units/merge",
        data={
            "csrf_token": token,
            "source_ids": [ids["song-mai"]],
            "into_id": 0,
            "on": "2024-07-01",
        },
    )
    assert no_target.status_code == 422
    merged = admin.post(
        "/admin/units/merge",
        data={
            "csrf_token": token,
            "source_ids": [ids["song-mai"], ids["dinh-tri"]],
            "into_id": 0,
            "new_name": "Phường Chũ",
            "on": "2025-07-01",
        },
    )
    assert merged.status_code == 303
    page = admin.get(merged.headers["Location"]).get_data(as_text=True)
    assert "Hình thành ngày 01/07/2025" in page and "Song Mai" in page
    with seeded.app_context():
        chu = db.session.scalar(select(Unit).where(Unit.code == "chu"))
        assert {u.code for u in chu.merged_from} == {"song-mai", "dinh-tri"}
        # The 2024 plan ended before the day: it is not given the new unit.
        assert not db.session.scalars(
            select(Task).where(Task.assignments.any(unit_id=chu.id))
        ).all()
