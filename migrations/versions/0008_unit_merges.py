"""Units that merge: the day a unit started and ended, and the unit it became

Revision ID: 0008_unit_merges
Revises: 0007_account
Create Date: 2026-12-01 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_unit_merges"
down_revision = "0007_account"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("unit", sa.Column("started_on", sa.Date(), nullable=True))
    op.add_column("unit", sa.Column("ended_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch would copy the table and drop the old one, which the foreign keys
        # of every table naming a unit refuse while rows name it. SQLite adds a column with
        # its reference, never a constraint alone.
        op.execute(
            "ALTER TABLE unit ADD COLUMN merged_into_id INTEGER "
            "CONSTRAINT fk_unit_merged_into_id_unit REFERENCES unit (id)"
        )
    else:
        op.add_column("unit", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_unit_merged_into_id_unit", "unit", "unit", ["merged_into_id"], ["id"]
        )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("unit") as batch:
        if not sqlite:  # SQLite's copy of the table leaves the reference out with its column
            batch.drop_constraint("fk_unit_merged_into_id_unit", type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("ended_on")
        batch.drop_column("started_on")
