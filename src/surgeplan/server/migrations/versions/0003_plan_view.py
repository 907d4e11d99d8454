"""Each plan keeps the workspace's JSON picture of it (plans.view_sha256), computed once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 11:40:21.255416
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("view_sha256", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plans_view_sha256_blobs"), "blobs", ["view_sha256"], ["sha256"]
        )


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_plans_view_sha256_blobs"), type_="foreignkey")
        batch_op.drop_column("view_sha256")
