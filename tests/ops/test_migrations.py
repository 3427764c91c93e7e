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
    "photo_hash",
    "place",
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
    import uuid
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from sqlalchemy import column, insert, select, table

    from support.compliance import local
    from support.evidence import SITE_PHOTO_FIELDS
    from wardapp.audit.models import AuditEvent
    from wardapp.auth.models import User
    from wardapp.evidence.models import Evidence
    from wardapp.plans.models import Plan, Task
    from wardapp.units.models import Unit

    def row(model, **values) -> SimpleNamespace:
        """A row with only these columns, of a table as bare as 0004 knew it: the model's own
        insert would name (or default) columns added to it since."""
        typed = model.__table__.c  # each column's type, so JSON and timestamps are stored right
        bare = table(model.__tablename__, column("id"), *(column(n, typed[n].type) for n in values))
        new_id = db.session.execute(insert(bare).values(**values).returning(bare.c.id)).scalar_one()
        return SimpleNamespace(id=new_id)

    with bare_app.app_context():
        upgrade(revision="0004")
        unit = row(Unit, code="u", kind="ward", name="Phường U", short_name="U", active=True)
        plan = row(
            Plan, year=2024, city="C", title="Kế hoạch", active=True, created_at=datetime.now(UTC)
        )
        task = row(
            Task,
            plan_id=plan.id,
            number=1,
            text="Nhiệm vụ",
            short_title="Nhiệm vụ",
            lead_text="",
            coordinating_text="",
            when_text="",
            kinds=["site_photo"],
            rule="weekly",
            places=[],
            notes="",
        )
        by = row(
            User,
            username="o",
            password_hash="x",
            display_name="Cán bộ",
            role="officer",
            unit_id=unit.id,
            active=True,
            session_version=1,
            created_at=datetime.now(UTC),
        )

        def evidence(when, status, supersedes=None) -> SimpleNamespace:
            return row(
                Evidence,
                client_uuid=str(uuid.uuid4()),
                task_id=task.id,
                unit_id=unit.id,
                submitted_by_id=by.id,
                kind="site_photo",
                occurred_at=when.astimezone(UTC),
                fields=dict(SITE_PHOTO_FIELDS),
                status=status,
                fingerprint="f" * 64,
                warnings=[],
                has_warnings=False,
                note="",
                version=1,
                created_at=when.astimezone(UTC),
                reviewed_at=when.astimezone(UTC) if status != "submitted" else None,
                supersedes_id=supersedes.id if supersedes else None,
            )

        returned = evidence(local(2024, 3, 4), "returned")
        first = evidence(local(2024, 3, 5), "approved", supersedes=returned)
        second = evidence(local(2024, 3, 5), "submitted", supersedes=returned)
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
