"""closed reporting months

Revision ID: 0006_closed_periods
Revises: 0005_network
Create Date: 2026-12-06 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_closed_periods"
down_revision = "0005_network"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "closed_periods",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_closed_periods")),
    )


def downgrade() -> None:
    op.drop_table("closed_periods")
