"""suggestions: which networks were suggested to whom, and what they did with them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "joined",
                "opened",
                name="suggestion_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("not_interested_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_suggestions_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_suggestions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_suggestions_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint(
            "person_id", "network_id", name=op.f("uq_suggestions_person_id_network_id")
        ),
    )
    op.create_index(op.f("ix_suggestions_network_id"), "suggestions", ["network_id"])
    op.create_index(op.f("ix_suggestions_shown_at"), "suggestions", ["shown_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestions_shown_at"), table_name="suggestions")
    op.drop_index(op.f("ix_suggestions_network_id"), table_name="suggestions")
    op.drop_table("suggestions")
