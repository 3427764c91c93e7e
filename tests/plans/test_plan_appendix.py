"""A plan as its appendix table and back: exported, imported as another year, it is the same
plan; the blank template; a plan copied to a new year through the units' merges."""

from openpyxl import load_workbook
from sqlalchemy import select

from support.client import signed_in
from wardapp.audit.models import AuditEvent
from wardapp.extensions import db
from wardapp.plans.importer import import_plan
from wardapp.plans.models import Plan, Task
from wardapp.units.models import Unit


def content(plan: Plan) -> list[tuple]:
    """What the appendix says of each task, the year aside."""
    return [
        (
            t.number,
            t.text,
            t.short_title,
            sorted(a.unit_id for a in t.assignments if a.role == "lead"),
            sorted(a.unit_id for a in t.assignments if a.role != "lead"),
            t.rule,
            (t.deadline.month, t.deadline.day) if t.deadline else None,
            t.kinds,
            t.places,
            t.notes,
        )
        for t in sorted(plan.tasks, key=lambda t: t.number)
    ]


def test_a_plan_exported_and_imported_back_as_another_year_equals_the_original(seeded, tmp_path):
    admin, token = signed_in(seeded, "admin")
    with seeded.app_context():
        plan_id = db.session.scalar(select(Plan.id))
        task = db.session.scalar(select(Task).where(Task.number == 6))
        task.places = ["Cổng chào", "Bộ phận một cửa"]  # as edited in the app
        task.short_title = "Pano, áp phích CCHC"
        db.session.commit()
    response = admin.get(f"/plans/{plan_id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('ke-hoach-2024.xlsx"')
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(response.data)
    with seeded.app_context():
        original = db.session.get(Plan, plan_id)
        again = import_plan(db.session, path, year=2025, title=None, city=original.city)
        assert content(again) == content(original)
        db.session.rollback()
    # The command writes the same table.
    out = tmp_path / "command.xlsx"
    result = seeded.test_cli_runner().invoke(
        args=["wardapp", "export-plan", str(plan_id), str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows == list(load_workbook(path).active.iter_rows(values_only=True))
    with seeded.app_context():
        assert db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "plan.export")
        ).one()


def test_the_blank_template_is_offered_on_the_import_page_and_imports(seeded, tmp_path):
    admin, _token = signed_in(seeded, "admin")
    assert "/plans/import/template.xlsx" in admin.get("/plans/import").get_data(as_text=True)
    response = admin.get("/plans/import/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "mau.xlsx"
    path.write_bytes(response.data)
    with seeded.app_context():
        plan = import_plan(db.session, path, year=2026, title=None, city="Bắc Giang")
        [task] = plan.tasks
        assert (task.rule, str(task.deadline), task.kinds) == (
            "deadline",
            "2026-06-30",
            ["site_photo"],
        )
        db.session.rollback()


def test_a_plan_copied_to_a_new_year_maps_its_units_through_merges(seeded):
    runner = seeded.test_cli_runner()
    merged = runner.invoke(
        args=[
            "wardapp",
            "merge-units",
            "tho-xuong",
            "ngo-quyen",
            "--into",
            "bac-giang",
            "--on",
            "2025-07-01",
            "--name",
            "Phường Bắc Giang",
        ]
    )
    assert merged.exit_code == 0, merged.output
    admin, token = signed_in(seeded, "admin")
    with seeded.app_context():
        plan = db.session.scalar(select(Plan))
        plan_id = plan.id
        task6 = next(t for t in plan.tasks if t.number == 6)
        task6.min_count, task6.period = 3, "quarter"
        db.session.commit()
    page = admin.get(f"/plans/{plan_id}/copy")
    assert page.status_code == 200 and 'value="2025"' in page.get_data(as_text=True)
    missing = admin.post(f"/plans/{plan_id}/copy", data={"csrf_token": token, "year": "2026"})
    assert missing.status_code == 422
    response = admin.post(
        f"/plans/{plan_id}/copy",
        data={
            "csrf_token": token,
            "year": "2026",
            "number": "12/KH-UBND",
            "decision_date": "2026-01-15",
        },
    )
    assert response.status_code == 303
    with seeded.app_context():
        old = db.session.get(Plan, plan_id)
        new = db.session.scalar(select(Plan).where(Plan.year == 2026))
        assert (new.number, str(new.decision_date)) == ("12/KH-UBND", "2026-01-15")
        assert "2026" in new.title and len(new.tasks) == len(old.tasks)
        units = {u.code: u.id for u in db.session.scalars(select(Unit))}
        new6 = next(t for t in new.tasks if t.number == 6)
        assert (new6.min_count, new6.period, new6.rule) == (3, "quarter", "per_period")
        assigned = {a.unit_id for t in new.tasks for a in t.assignments}
        assert units["bac-giang"] in assigned
        assert not {units["tho-xuong"], units["ngo-quyen"]} & assigned
        old_deadlines = {t.number: t.deadline for t in old.tasks if t.deadline}
        for t in new.tasks:
            if t.number in old_deadlines:
                assert t.deadline == old_deadlines[t.number].replace(year=2026)
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.copy"))
        assert event.details["units_mapped"][str(units["tho-xuong"])] == units["bac-giang"]
    twice = admin.post(
        f"/plans/{plan_id}/copy",
        data={"csrf_token": token, "year": "2026", "number": "13", "decision_date": "2026-01-16"},
    )
    assert twice.status_code == 422 and "Đã có kế hoạch năm 2026" in twice.get_data(as_text=True)
