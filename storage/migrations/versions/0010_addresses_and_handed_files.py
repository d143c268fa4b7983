"""where the bot reaches people and conversations on platforms that need more than an id
(Teams: the conversation, the service address, the person's id in the bot's chats), and files
handed to people as short-lived links

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_addresses",
        sa.Column("subject", sa.String(length=512), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=512), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("account_id", sa.String(length=255), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversation_addresses_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_conversation_addresses")),
    )

    op.create_table(
        "handed_files",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_user_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_handed_files_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_handed_files")),
    )
    op.create_index(
        op.f("ix_handed_files_person_user_id"), "handed_files", ["person_user_id"], unique=False
    )
    op.create_index(
        op.f("ix_handed_files_expires_at"), "handed_files", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handed_files_expires_at"), table_name="handed_files")
    op.drop_index(op.f("ix_handed_files_person_user_id"), table_name="handed_files")
    op.drop_table("handed_files")
    op.drop_table("conversation_addresses")
