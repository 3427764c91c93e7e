"""Plans edited in the app: a task can be retired (kept, with its evidence)

Revision ID: 0021_task_retired
Revises: 0013_places
Create Date: 2026-12-01 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_task_retired"
down_revision = "0013_places"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "task", sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade():
    with op.batch_alter_table("task") as batch:
        batch.drop_column("retired")
