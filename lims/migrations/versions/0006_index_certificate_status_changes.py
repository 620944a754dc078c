"""Index certificate status changes by certificate

Every public lookup loads the status history of one certificate; without
this index the join scans the whole history table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:41:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificate_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_status_change_certificate_id"),
            ["certificate_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("certificate_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_status_change_certificate_id"))
