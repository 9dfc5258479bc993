"""log-in limits shared by every server process

Revision ID: 0003_login_limits
Revises: 0002_sessions
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_login_limits"
down_revision = "0002_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_limits",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "user_name", "address", name=op.f("pk_login_limits")),
    )
    with op.batch_alter_table("login_limits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_limits_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("login_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_limits_expires_at"))
    op.drop_table("login_limits")
