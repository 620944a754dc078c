"""Save column mapping profiles

Adds the labs' saved column mappings for the generic table reader, and the
copy of the mapping a result was read with. The new table starts empty, so
its NOT NULL columns need no server defaults; the new result column is
nullable. The unique constraint on (lab_id, name) also serves lookups by lab.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:03:00.389747

"""

import sqlalchemy as sa
from alembic import op

import lims.db_types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "column_mapping_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lab_id", sa.Integer(), nullable=False),
        sa.Column("name", lims.db_types.NFCString(length=120), nullable=False),
        sa.Column("description", lims.db_types.NFCString(length=300), nullable=False),
        sa.Column("x_column", lims.db_types.NFCString(length=120), nullable=False),
        sa.Column("y_columns", sa.JSON(), nullable=False),
        sa.Column("separator", sa.String(length=1), nullable=False),
        sa.Column("decimal", sa.String(length=1), nullable=False),
        sa.Column("encoding", sa.String(length=40), nullable=False),
        sa.Column("header_rows", sa.Integer(), nullable=False),
        sa.Column("units_row", sa.Integer(), nullable=True),
        sa.Column("x_unit", sa.String(length=3), nullable=False),
        sa.Column("y_unit", lims.db_types.NFCString(length=20), nullable=False),
        sa.Column("date_column", lims.db_types.NFCString(length=120), nullable=False),
        sa.Column("date_format", lims.db_types.NFCString(length=40), nullable=False),
        sa.Column("sheet", lims.db_types.NFCString(length=120), nullable=False),
        sa.Column(
            "created_at", lims.db_types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", lims.db_types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lab_id"],
            ["body.id"],
            name=op.f("fk_column_mapping_profile_lab_id_body"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mapping_profile")),
        sa.UniqueConstraint(
            "lab_id", "name", name="uq_column_mapping_profile_lab_id_name"
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_mapping", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.drop_column("source_mapping")

    op.drop_table("column_mapping_profile")
