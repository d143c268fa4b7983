"""Where the bot reaches people and conversations on platforms that need more than an id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ConversationAddress, Workspace
from storage.repositories.sql import dialect_insert


class Addresses:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(
        self, subject: str, workspace_id: int | None = None
    ) -> tuple[ConversationAddress, str] | None:
        """The address of `subject` (kept in `workspace_id`, if given), and its workspace's
        platform id."""
        query = (
            select(ConversationAddress, Workspace.team_id)
            .join(Workspace, Workspace.id == ConversationAddress.workspace_id)
            .where(ConversationAddress.subject == subject)
        )
        if workspace_id is not None:
            query = query.where(ConversationAddress.workspace_id == workspace_id)
        found = self.session.execute(query).first()
        return None if found is None else (found[0], found[1])

    def keep(
        self, workspace_id: int, subject: str, values: dict[str, str | None], now: datetime
    ) -> None:
        """Store or replace the address of `subject`; a value left None keeps what is stored."""
        given = {key: value for key, value in values.items() if value is not None}
        row = {"subject": subject, "workspace_id": workspace_id, "updated_at": now, **given}
        statement = dialect_insert(self.session)(ConversationAddress.__table__).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["subject"], set_={key: row[key] for key in row if key != "subject"}
        )
        self.session.execute(statement)
