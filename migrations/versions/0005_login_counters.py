"""Sign-in failure counters in the database, shared by every app process when there is no Redis

Revision ID: 0005_login_counters
Revises: 0004
Create Date: 2026-11-28 09:00:00

"""

import sqlalchemy as sa
from alembic import op

import wardapp.db

# revision identifiers, used by Alembic.
revision = "0005_login_counters"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_ends", wardapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("wait_until", wardapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_counter")),
    )
    with op.batch_alter_table("login_counter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_counter_window_ends"), ["window_ends"], unique=False
        )


def downgrade():
    with op.batch_alter_table("login_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_counter_window_ends"))
    op.drop_table("login_counter")
