"""/admin/audit: the audit record on screen and as CSV, filtered by the URL, for admins and
overseers only."""

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from support.client import AuthActions, signed_in
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.extensions import db


def add_events(app, n, action="plan.rule", object_type="task", at=None, actor="vhtt"):
    with app.app_context():
        who = db.session.scalar(select(User).where(User.username == actor))
        for i in range(n):
            db.session.add(
                AuditEvent(
                    action=action,
                    object_type=object_type,
                    object_id=i + 1,
                    actor_id=who.id if who else None,
                    details={"n": i, "note": "=HYPERLINK(1)"},
                    address="10.0.0.7",
                    at=at or datetime.now(UTC),
                )
            )
        db.session.commit()


def rows_of(page: str) -> int:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return body.count("<tr>")


def test_only_admins_and_overseers_open_the_record(seeded):
    for username, allowed in (
        ("admin", True),
        ("noivu", True),
        ("vhtt", False),
        ("tho-xuong", False),
    ):
        client, _token = signed_in(seeded, username)
        for path in ("/admin/audit", "/admin/audit.csv"):
            assert (client.get(path).status_code == 200) is allowed, (username, path)
    assert seeded.test_client().get("/admin/audit").status_code == 302


def test_sign_ins_failed_ones_too_are_on_the_page(seeded):
    AuthActions(seeded.test_client()).login("tho-xuong", "not-the-password")
    client, _token = signed_in(seeded, "noivu")
    page = client.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert rows_of(page) == 1 and "login.failed" in page
    mine = client.get("/admin/audit?who=NoiVu&action=login").get_data(as_text=True)
    assert rows_of(mine) == 1


def test_filters_by_person_action_object_and_dates_kept_in_the_url(seeded):
    add_events(seeded, 3, action="plan.rule", object_type="task")
    add_events(seeded, 2, action="user.update", object_type="user", actor="admin")
    add_events(
        seeded, 4, action="plan.rule", object_type="task", at=datetime(2024, 3, 5, 3, tzinfo=UTC)
    )
    client, _token = signed_in(seeded, "admin")

    def count(query):
        response = client.get("/admin/audit?" + query)
        assert response.status_code == 200
        return rows_of(response.get_data(as_text=True))

    assert count("action=plan.rule") == 7
    assert count("who=vhtt&action=plan.rule") == 7
    assert count("who=admin&object=user&action=user.update") == 2
    assert count("who=admin&object=user") == 3  # and the admin's own sign-in
    assert count("object=task&object_id=2") == 2
    assert count("action=plan.rule&from=2024-03-05&to=2024-03-05") == 4
    assert count("action=plan.rule&from=2024-03-06") == 3
    assert count("who=nobody-at-all") == 0
    page = client.get("/admin/audit?action=plan.rule&from=2024-03-01").get_data(as_text=True)
    assert "from=2024-03-01" in page and "action=plan.rule" in page  # links keep the filters


def test_pages_of_fifty(seeded):
    add_events(seeded, 120, action="bulk.thing")
    client, _token = signed_in(seeded, "admin")
    first = client.get("/admin/audit?action=bulk.thing").get_data(as_text=True)
    assert rows_of(first) == 50 and "page=2" in first
    third = client.get("/admin/audit?action=bulk.thing&page=3").get_data(as_text=True)
    assert rows_of(third) == 20 and "page=4" not in third


def test_bad_filters_are_told_not_a_500(seeded):
    client, _token = signed_in(seeded, "admin")
    for query in (
        "from=2024-13-01",
        "to=yesterday",
        "object_id=abc",
        "from=2024-03-02&to=2024-03-01",
    ):
        response = client.get("/admin/audit?" + query)
        assert response.status_code == 400, query
        assert 'role="alert"' in response.get_data(as_text=True)
    assert client.get("/admin/audit.csv?from=nope").status_code == 400
    assert client.get("/admin/audit?page=-4").status_code == 200


def test_the_csv_holds_what_the_filters_keep_and_the_export_is_itself_audited(seeded):
    add_events(seeded, 3, action="plan.rule")
    add_events(seeded, 2, action="user.update", object_type="user", actor="admin")
    client, _token = signed_in(seeded, "noivu")
    response = client.get("/admin/audit.csv?action=plan.rule")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 3
    assert {r[3] for r in rows[1:]} == {"plan.rule"}
    assert all(r[2] == "vhtt" and r[6] == "10.0.0.7" for r in rows[1:])
    assert all(not r[7].startswith("=") for r in rows[1:])
    with seeded.app_context():
        [export] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit.export")
        ).all()
        assert export.details["filters"] == "action=plan.rule"
