"""submission and approval of each cluster's month

Revision ID: 0007_submissions
Revises: 0006_closed_periods
Create Date: 2026-12-06 19:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_submissions"
down_revision = "0006_closed_periods"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_submissions",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_period_submissions_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period", "cluster_id", name=op.f("pk_period_submissions")),
    )


def downgrade() -> None:
    op.drop_table("period_submissions")
