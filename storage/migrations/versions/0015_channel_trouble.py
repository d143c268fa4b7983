"""channel trouble: why a network's linked channel no longer works (disconnected from a shared
channel, unshared with another organisation, archived, deleted, or the bot removed from it),
and since when

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel_trouble",
                sa.Enum(
                    "disconnected",
                    "unshared",
                    "archived",
                    "deleted",
                    "bot_removed",
                    name="channel_trouble",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("channel_trouble_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_networks_channel_trouble"), type_="check")
        batch_op.drop_column("channel_trouble_at")
        batch_op.drop_column("channel_trouble")
