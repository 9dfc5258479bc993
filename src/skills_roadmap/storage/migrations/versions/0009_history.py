"""the upload that created each progress row (history and undo)

Revision ID: 0009_history
Revises: 0008_user_email
Create Date: 2026-12-06 19:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_history"
down_revision = "0008_user_email"
branch_labels = None
depends_on = None

CREATED = sa.text("created_upload_id IS NOT NULL")


def upgrade() -> None:
    # A plain column (no foreign key): SQLite adds it in place, where a constraint would copy
    # the whole progress table. Rows stored before it stay NULL: their creator is not known.
    op.add_column("progress", sa.Column("created_upload_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_progress_created_upload_id",
        "progress",
        ["created_upload_id"],
        unique=False,
        sqlite_where=CREATED,
        postgresql_where=CREATED,
    )


def downgrade() -> None:
    op.drop_index("ix_progress_created_upload_id", table_name="progress")
    with op.batch_alter_table("progress", schema=None) as batch_op:
        batch_op.drop_column("created_upload_id")
