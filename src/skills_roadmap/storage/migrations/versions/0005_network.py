"""the network workbook: region codes of up to 8 characters, adults per region, the regions a
cluster also works in, notes on facilities

Revision ID: 0005_network
Revises: 0004_data_changes
Create Date: 2026-12-10 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_network"
down_revision = "0004_data_changes"
branch_labels = None
depends_on = None

# The region code and every column referring to it: a network's own codes have up to 8
# characters, NUTS codes 5.
REGION_CODE_COLUMNS = (
    ("regions", "code"),
    ("clusters", "region_code"),
    ("programmes", "region_code"),
    ("facilities", "region_code"),
)


def _region_code_length(old: int, new: int) -> None:
    for table, column in REGION_CODE_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=old),
                type_=sa.String(length=new),
                existing_nullable=False,
            )


def upgrade() -> None:
    _region_code_length(5, 8)
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adults", sa.Integer(), nullable=True))
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
    op.create_table(
        "cluster_regions",
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["clusters.id"],
            name=op.f("fk_cluster_regions_cluster_id_clusters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_cluster_regions_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("cluster_id", "region_code", name=op.f("pk_cluster_regions")),
    )
    with op.batch_alter_table("cluster_regions", schema=None) as batch_op:
        batch_op.create_index("ix_cluster_regions_region_code", ["region_code"], unique=False)


def downgrade() -> None:
    op.drop_table("cluster_regions")
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_column("notes")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_column("adults")
    _region_code_length(8, 5)
