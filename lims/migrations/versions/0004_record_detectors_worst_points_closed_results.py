"""Record detectors, worst points and closed results

Adds the detector and the ten worst points of each result, who closed a
result and why, and the "rejected" result status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 15:51:13.366009

"""

import sqlalchemy as sa
from alembic import op

import lims.db_types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_STATUSES = ("entered", "approved", "retracted", "superseded")
NEW_STATUSES = ("entered", "approved", "retracted", "rejected", "superseded")


def _status_check(statuses: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def upgrade():
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "detector", sa.String(length=20), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("worst_points", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "closed_at",
                lims.db_types.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "closed_reason",
                lims.db_types.NFCText(),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_result_closed_by_id_user"), "user", ["closed_by_id"], ["id"]
        )
        batch_op.drop_constraint(batch_op.f("ck_result_resultstatus"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_result_resultstatus"), _status_check(NEW_STATUSES)
        )


def downgrade():
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_result_resultstatus"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_result_resultstatus"), _status_check(OLD_STATUSES)
        )
        batch_op.drop_constraint(
            batch_op.f("fk_result_closed_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("worst_points")
        batch_op.drop_column("detector")
