"""Amend reports and record number sequences

Adds the numbering key and sequence behind every report and certificate
number, so that allocation can skip numbers already used after a restore,
the stored verification URL, so that a document re-renders to the same
bytes, and the report fields that ISO/IEC 17025 clause 7.8.2.1 needs
(test location, deviations, printed and subcontracted results).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 15:50:44.256924

"""

import sqlalchemy as sa
from alembic import op

import lims.db_types

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = lims.db_types.NFCString(length=length) if length else lims.db_types.NFCText()
    return sa.Column(name, kind, nullable=False, server_default="")


def _json_list(name: str) -> sa.Column:
    return sa.Column(name, sa.JSON(), nullable=False, server_default="[]")


def _sequence_columns() -> list[sa.Column]:
    return [
        sa.Column("sequence_key", lims.db_types.NFCString(length=80), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
    ]


def upgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        for column in _sequence_columns():
            batch_op.add_column(column)
        batch_op.add_column(_text("verification_url", 300))
        batch_op.create_unique_constraint(
            batch_op.f("uq_certificate_sequence_key_sequence"),
            ["sequence_key", "sequence"],
        )

    with op.batch_alter_table("test_report", schema=None) as batch_op:
        for column in _sequence_columns():
            batch_op.add_column(column)
        batch_op.add_column(_text("verification_url", 300))
        batch_op.add_column(_text("test_location"))
        batch_op.add_column(_text("deviations"))
        batch_op.add_column(_json_list("result_ids"))
        batch_op.add_column(_json_list("subcontracted_result_ids"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_test_report_replaces_id"), ["replaces_id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_test_report_sequence_key_sequence"),
            ["sequence_key", "sequence"],
        )


def downgrade():
    with op.batch_alter_table("test_report", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_test_report_sequence_key_sequence"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_test_report_replaces_id"), type_="unique"
        )
        for name in (
            "subcontracted_result_ids",
            "result_ids",
            "deviations",
            "test_location",
            "verification_url",
            "sequence",
            "sequence_key",
        ):
            batch_op.drop_column(name)

    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_certificate_sequence_key_sequence"), type_="unique"
        )
        for name in ("verification_url", "sequence", "sequence_key"):
            batch_op.drop_column(name)
