"""perceptual hashes of each photo and of its slightly cropped windows, for copies however changed

Revision ID: 0012_photo_hashes
Revises: 0015_mail_digests
Create Date: 2026-12-01 12:55:00

Photos stored before this revision have none: they are still found by ``media.phash``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_photo_hashes"
down_revision = "0015_mail_digests"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "photo_hash",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=16), nullable=False),
        sa.Column("b0", sa.Integer(), nullable=False),
        sa.Column("b1", sa.Integer(), nullable=False),
        sa.Column("b2", sa.Integer(), nullable=False),
        sa.Column("b3", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_photo_hash_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_hash")),
    )
    with op.batch_alter_table("photo_hash", schema=None) as batch_op:
        for column in ("media_id", "b0", "b1", "b2", "b3"):
            batch_op.create_index(batch_op.f(f"ix_photo_hash_{column}"), [column], unique=False)


def downgrade():
    with op.batch_alter_table("photo_hash", schema=None) as batch_op:
        for column in ("b3", "b2", "b1", "b0", "media_id"):
            batch_op.drop_index(batch_op.f(f"ix_photo_hash_{column}"))
    op.drop_table("photo_hash")
