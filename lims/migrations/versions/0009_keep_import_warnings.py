"""Keep import warnings

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:32:32.654463

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # Results imported before this revision had no warnings kept: an empty
    # list, not a claim that the file had none to report.
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "import_warnings",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )


def downgrade():
    with op.batch_alter_table("result", schema=None) as batch_op:
        batch_op.drop_column("import_warnings")
