"""rsvps indexed by person: a person's own answers (their digest, their data) without a scan

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_rsvps_person_id", "rsvps", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_rsvps_person_id", table_name="rsvps")
