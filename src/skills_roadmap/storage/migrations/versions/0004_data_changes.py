"""index of progress rows by the upload that last wrote them (the dashboard's change feed)

Revision ID: 0004_data_changes
Revises: 0003_login_limits
Create Date: 2026-12-06 10:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_data_changes"
down_revision = "0003_login_limits"
branch_labels = None
depends_on = None

UPLOADED = sa.text("upload_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("progress", schema=None) as batch_op:
        batch_op.create_index(
            "ix_progress_upload_id",
            ["upload_id"],
            unique=False,
            sqlite_where=UPLOADED,
            postgresql_where=UPLOADED,
        )


def downgrade() -> None:
    with op.batch_alter_table("progress", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_upload_id")
