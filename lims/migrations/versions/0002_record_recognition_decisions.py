"""Record recognition decisions and signatory dates

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 15:50:20.002602

"""

import sqlalchemy as sa
from alembic import op

import lims.db_types

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recognition_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "decided_at", lims.db_types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lab", lims.db_types.NFCString(length=80), nullable=False),
        sa.Column(
            "regulation_code", lims.db_types.NFCString(length=60), nullable=False
        ),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum(
                "accepted",
                "not_accepted",
                "needs_review",
                name="recognitionverdict",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("agreement_code", sa.String(length=40), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_decision")),
    )
    with op.batch_alter_table("accreditation_body", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ilac_mra_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("iaf_mla_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("apac_since", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("accreditation_body", schema=None) as batch_op:
        batch_op.drop_column("apac_since")
        batch_op.drop_column("iaf_mla_since")
        batch_op.drop_column("ilac_mra_since")

    op.drop_table("recognition_decision")
