"""Indexes for the review queue's filters: all statuses, task, unit, kind, date range

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:20:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_evidence_created": ["created_at", "id"],
    "ix_evidence_task_status_created": ["task_id", "status", "created_at", "id"],
    "ix_evidence_unit_status_created": ["unit_id", "status", "created_at", "id"],
    "ix_evidence_kind_status_created": ["kind", "status", "created_at", "id"],
    "ix_evidence_occurred": ["occurred_at", "id"],
    "ix_evidence_status_occurred": ["status", "occurred_at", "id"],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, "evidence", columns, unique=False)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="evidence")
