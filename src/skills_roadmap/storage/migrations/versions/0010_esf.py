"""the ESF+ participant breakdowns of progress rows

Revision ID: 0010_esf
Revises: 0009_history
Create Date: 2026-12-06 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_esf"
down_revision = "0009_history"
branch_labels = None
depends_on = None

# The bands of fields.BREAKDOWNS besides women (stored since 0001), as they were added.
BANDS = (
    "men",
    "non_binary",
    "age_under_18",
    "age_18_29",
    "age_30_54",
    "age_55_over",
    "employed",
    "unemployed",
    "long_term_unemployed",
    "inactive",
    "isced_0_2",
    "isced_3_4",
    "isced_5_8",
)


REPORTED = sa.text(f"COALESCE({', '.join(BANDS)}) IS NOT NULL")


def upgrade() -> None:
    # Nullable columns without defaults: both SQLite and PostgreSQL add them in place, without
    # rewriting the (large) progress table; every stored row is "not reported".
    for name in BANDS:
        op.add_column("progress", sa.Column(name, sa.Integer(), nullable=True))
    # The rows that report a band, read apart by the analysis (storage/snapshot.py).
    op.create_index(
        "ix_progress_breakdowns",
        "progress",
        ["programme_id", "period"],
        unique=False,
        sqlite_where=REPORTED,
        postgresql_where=REPORTED,
    )


def downgrade() -> None:
    op.drop_index("ix_progress_breakdowns", table_name="progress")
    with op.batch_alter_table("progress", schema=None) as batch_op:
        for name in reversed(BANDS):
            batch_op.drop_column(name)
