"""Background jobs that finish once: their state, lease and result

Revision ID: 0012_jobs
Revises: 0013_two_factor
Create Date: 2026-12-01 12:30:00

Large exports were built by a thread of a web process with their state in JSON files; now a
worker builds them and their state is a row here (see wardapp/jobs/leases.py).
"""

import sqlalchemy as sa
from alembic import op

import wardapp.db

# revision identifiers, used by Alembic.
revision = "0012_jobs"
down_revision = "0013_two_factor"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("active_key", sa.String(length=255), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", wardapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result_key", sa.String(length=128), nullable=True),
        sa.Column("result_name", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", wardapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("queued_at", wardapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", wardapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", wardapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("active_key", name=op.f("uq_job_active_key")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index("ix_job_finished_at", ["finished_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_job_state_lease_until", ["state", "lease_until"], unique=False)


def downgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_state_lease_until")
        batch_op.drop_index(batch_op.f("ix_job_owner_id"))
        batch_op.drop_index("ix_job_finished_at")

    op.drop_table("job")
