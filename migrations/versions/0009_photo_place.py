"""Where each photo's place came from: its GPS, the phone at capture, the phone later, none

Revision ID: 0007_photo_place
Revises: 0008_unit_merges
Create Date: 2026-12-01 12:40:00

Photos sent before this keep no source (NULL): the pages then say what they said before,
GPS when there is one and nothing when there is none.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_photo_place"
down_revision = "0008_unit_merges"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("media") as batch:
        batch.add_column(sa.Column("place_source", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("media") as batch:
        batch.drop_column("place_source")
