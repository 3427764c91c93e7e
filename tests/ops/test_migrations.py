"""The migrations build exactly the models, on SQLite and on PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from wardapp.extensions import db

TABLES = {
    "unit",
    "user",
    "reviewer_unit",
    "plan",
    "task",
    "task_unit",
    "evidence",
    "media",
    "audit_event",
    "login_counter",
}


def test_upgrade_on_an_empty_database_creates_every_table(bare_app):
    with bare_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert TABLES <= tables


def test_models_and_migrations_do_not_drift(bare_app):
    with bare_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(bare_app):
    with bare_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_sqlite_connection_is_durable_logged_and_checks_foreign_keys(app):
    """A commit is on disk before the client hears 201 (synchronous FULL = 2), in WAL mode."""
    from sqlalchemy import text

    with app.app_context():
        pragma = lambda name: db.session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == app.config["LOCK_TIMEOUT_MS"]


def test_a_second_live_correction_made_before_the_rule_is_withdrawn_and_audited(bare_app):
    """Rows from before one correction per item was enforced: the upgrade keeps the first
    correction, withdraws the later one (nothing deleted) and says so in the audit record."""
    from types import SimpleNamespace

    from sqlalchemy import select, text

    from support.compliance import local, make_plan, make_task, make_unit
    from support.evidence import make_evidence
    from wardapp.audit.models import AuditEvent
    from wardapp.evidence.models import Evidence

    with bare_app.app_context():
        upgrade(revision="0004")
        unit = make_unit()
        task = make_task(make_plan(), 1, "weekly", leads=[unit])
        # The account in SQL: the model's own insert or query would name columns added since.
        db.session.execute(
            text(
                'INSERT INTO "user" (username, password_hash, display_name, role, unit_id, '
                "active, session_version, created_at) VALUES ('o', 'x', 'Cán bộ', 'officer', "
                ":unit, :yes, 1, CURRENT_TIMESTAMP)"
            ),
            {"unit": unit.id, "yes": True},
        )
        by = SimpleNamespace(id=db.session.scalar(text('SELECT id FROM "user"')))
        returned = make_evidence(task, unit, local(2024, 3, 4), "returned", user=by)
        first = make_evidence(
            task, unit, local(2024, 3, 5), "approved", supersedes=returned, user=by
        )
        second = make_evidence(
            task, unit, local(2024, 3, 5), "submitted", supersedes=returned, user=by
        )
        ids = returned.id, first.id, second.id
        db.session.commit()
        upgrade()
        db.session.expire_all()
        statuses = [db.session.get(Evidence, i).status for i in ids]
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.withdraw")
        ).all()
    assert statuses == ["returned", "approved", "withdrawn"]
    assert [(e.object_id, e.details["supersedes_id"]) for e in events] == [(ids[2], ids[0])]
