"""outbox rows know their network, so that its coordinators can see what could not be sent

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_network_id_networks"),
            "networks",
            ["network_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_outbox_network_state", ["network_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_network_state")
        batch_op.drop_constraint(batch_op.f("fk_outbox_network_id_networks"), type_="foreignkey")
        batch_op.drop_column("network_id")
