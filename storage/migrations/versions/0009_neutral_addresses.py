"""addresses any platform can use: a platform on each workspace, ids wide enough for Teams,
a typed recipient on outbox messages, and opaque message references instead of Slack's ts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SLACK_ID = sa.String(length=32)
WORKSPACE_ID = sa.String(length=64)
PERSON_ID = sa.String(length=255)
CONVERSATION_ID = sa.String(length=512)
MESSAGE_REF = sa.String(length=255)
# The kinds of message that go to a conversation (bot.domain.CONVERSATION_MESSAGES as of this
# revision); every other kind goes to one person.
CONVERSATION_KINDS = (
    "announcement",
    "announcement_refresh",
    "poll",
    "poll_refresh",
    "poll_results",
    "signal",
    "signal_refresh",
    "channel_digest",
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "platform",
                _enum("platform", "slack", "teams"),
                server_default="slack",
                nullable=False,
            )
        )
        batch_op.alter_column("team_id", existing_type=SLACK_ID, type_=WORKSPACE_ID)

    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.alter_column(
            "team_id", existing_type=SLACK_ID, type_=WORKSPACE_ID, existing_nullable=False
        )

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.alter_column(
            "user_id", existing_type=SLACK_ID, type_=PERSON_ID, existing_nullable=False
        )

    for table, nullable in (("networks", True), ("events", False), ("polls", True)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "channel_id",
                existing_type=SLACK_ID,
                type_=CONVERSATION_ID,
                existing_nullable=nullable,
            )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "recipient", existing_type=SLACK_ID, type_=CONVERSATION_ID, existing_nullable=False
        )
        batch_op.add_column(
            sa.Column("recipient_kind", _enum("recipient_kind", "person", "conversation"))
        )
        batch_op.alter_column(
            "sent_channel", new_column_name="sent_conversation", type_=CONVERSATION_ID
        )
        batch_op.alter_column("sent_ts", new_column_name="sent_ref", type_=MESSAGE_REF)
    kinds = ", ".join(f"'{kind}'" for kind in CONVERSATION_KINDS)
    op.execute(
        "UPDATE outbox SET recipient_kind = CASE WHEN kind IN "
        f"({kinds}) THEN 'conversation' ELSE 'person' END"
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "recipient_kind",
            existing_type=_enum("recipient_kind", "person", "conversation"),
            nullable=False,
        )

    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("uq_signals_network_id_source_channel_source_ts"), type_="unique"
        )
        batch_op.alter_column(
            "channel_id", existing_type=SLACK_ID, type_=CONVERSATION_ID, existing_nullable=True
        )
        batch_op.alter_column(
            "source_channel", new_column_name="source_conversation", type_=CONVERSATION_ID
        )
        batch_op.alter_column("source_ts", new_column_name="source_ref", type_=MESSAGE_REF)
    # Named anew in a batch of its own, once SQLite's table has its new column names.
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            op.f("uq_signals_network_id_source_conversation_source_ref"),
            ["network_id", "source_conversation", "source_ref"],
        )


def downgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("uq_signals_network_id_source_conversation_source_ref"), type_="unique"
        )
        batch_op.alter_column("source_ref", new_column_name="source_ts", type_=SLACK_ID)
        batch_op.alter_column(
            "source_conversation", new_column_name="source_channel", type_=SLACK_ID
        )
        batch_op.alter_column("channel_id", existing_type=CONVERSATION_ID, type_=SLACK_ID)
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            op.f("uq_signals_network_id_source_channel_source_ts"),
            ["network_id", "source_channel", "source_ts"],
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("sent_ref", new_column_name="sent_ts", type_=SLACK_ID)
        batch_op.alter_column("sent_conversation", new_column_name="sent_channel", type_=SLACK_ID)
        batch_op.drop_constraint(op.f("ck_outbox_recipient_kind"), type_="check")
        batch_op.drop_column("recipient_kind")
        batch_op.alter_column("recipient", existing_type=CONVERSATION_ID, type_=SLACK_ID)

    for table in ("networks", "events", "polls"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("channel_id", existing_type=CONVERSATION_ID, type_=SLACK_ID)

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=PERSON_ID, type_=SLACK_ID)

    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.alter_column("team_id", existing_type=WORKSPACE_ID, type_=SLACK_ID)

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.alter_column("team_id", existing_type=WORKSPACE_ID, type_=SLACK_ID)
        batch_op.drop_constraint(op.f("ck_workspaces_platform"), type_="check")
        batch_op.drop_column("platform")
