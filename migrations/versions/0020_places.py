"""places of each unit, the place an item records, and the tasks' place lists as places

Revision ID: 0013_places
Revises: 0012_photo_hashes
Create Date: 2026-12-01 13:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_places"
down_revision = "0012_photo_hashes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_place_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("unit_id", "name", name="uq_place_unit_name"),
    )
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_place_unit_id"), ["unit_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # A plain ADD COLUMN with its reference inline: SQLite adds it without copying the
        # table (a copy cannot drop the old one while other rows point at it).
        op.execute(
            "ALTER TABLE evidence ADD COLUMN place_id INTEGER "
            "CONSTRAINT fk_evidence_place_id_place REFERENCES place (id)"
        )
    else:
        op.add_column("evidence", sa.Column("place_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_evidence_place_id_place"), "evidence", "place", ["place_id"], ["id"]
        )
    op.create_index(op.f("ix_evidence_place_id"), "evidence", ["place_id"], unique=False)
    _places_from_tasks()


def _places_from_tasks():
    """Each task's listed places, for every unit the task names, without coordinates (as
    ``places.services.places_from_tasks`` does for plans loaded later)."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT t.places, tu.unit_id FROM task t JOIN task_unit tu ON tu.task_id = t.id")
    ).all()
    seen = set()
    place = sa.table(
        "place",
        sa.column("unit_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("street", sa.String),
        sa.column("active", sa.Boolean),
    )
    import json

    for places, unit_id in rows:
        names = json.loads(places) if isinstance(places, str) else places
        for name in names or []:
            name = " ".join(str(name).split())[:200]
            if name and (unit_id, name) not in seen:
                seen.add((unit_id, name))
                conn.execute(
                    place.insert().values(
                        unit_id=unit_id, name=name, kind="other", street="", active=True
                    )
                )


def downgrade():
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's copy leaves the reference out
            batch_op.drop_constraint(batch_op.f("fk_evidence_place_id_place"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_evidence_place_id"))
        batch_op.drop_column("place_id")
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_unit_id"))
    op.drop_table("place")
