"""One live correction per returned item, enforced by the database

Revision ID: 0006
Revises: 0005_login_counters
Create Date: 2026-12-01 09:00:00

Before this, two phones correcting the same returned item at once could both land. Where
that happened, the first correction stays and each later one is withdrawn (never deleted),
with an audit event saying why, so the unique index can hold from now on.
"""

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005_login_counters"
branch_labels = None
depends_on = None

LIVE = sa.text("status != 'withdrawn'")


def upgrade():
    conn = op.get_bind()
    doubled = conn.execute(
        sa.text(
            "SELECT id, supersedes_id FROM evidence WHERE supersedes_id IS NOT NULL "
            "AND status != 'withdrawn' AND id > (SELECT min(first.id) FROM evidence first "
            "WHERE first.supersedes_id = evidence.supersedes_id AND first.status != 'withdrawn')"
        )
    ).all()
    now = datetime.now(UTC).replace(tzinfo=None)
    for evidence_id, old_id in doubled:
        conn.execute(
            sa.text("UPDATE evidence SET status = 'withdrawn' WHERE id = :id"), {"id": evidence_id}
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit_event (at, actor_id, action, object_type, object_id, details) "
                "VALUES (:at, NULL, 'evidence.withdraw', 'evidence', :id, :details)"
            ),
            {
                "at": now,
                "id": evidence_id,
                "details": json.dumps(
                    {
                        "reason": "a second live correction of the same returned item",
                        "supersedes_id": old_id,
                        "migration": revision,
                    }
                ),
            },
        )
    op.create_index(
        "uq_evidence_live_correction",
        "evidence",
        ["supersedes_id"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade():
    op.drop_index("uq_evidence_live_correction", table_name="evidence")
