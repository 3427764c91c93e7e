"""Accounts by the hundred: an account's phone number, one-time sign-in links

Revision ID: 0012_sign_in_links
Revises: 0009_explanations
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

import wardapp.db

revision = "0012_sign_in_links"
down_revision = "0009_explanations"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("phone", sa.String(length=32), nullable=True))
    op.create_table(
        "sign_in_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", wardapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", wardapp.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", wardapp.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name="fk_sign_in_link_user_id_user"),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_link"),
        sa.UniqueConstraint("token_hash", name="uq_sign_in_link_token_hash"),
    )
    op.create_index("ix_sign_in_link_user_id", "sign_in_link", ["user_id"])


def downgrade():
    op.drop_index("ix_sign_in_link_user_id", table_name="sign_in_link")
    op.drop_table("sign_in_link")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("phone")
