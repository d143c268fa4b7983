"""Files handed to people as short-lived links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import HandedFile


class HandedFiles:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, file: HandedFile) -> None:
        self.session.add(file)

    def valid(self, token: str, name: str, now: datetime) -> HandedFile | None:
        """The file at this token and name, unless it has expired."""
        query = select(HandedFile).where(
            HandedFile.token == token, HandedFile.name == name, HandedFile.expires_at > now
        )
        return self.session.scalar(query)

    def expired(self, now: datetime) -> int:
        """Let go of the files whose time is up; how many."""
        return self.session.execute(delete(HandedFile).where(HandedFile.expires_at <= now)).rowcount

    def of_person(self, workspace_id: int, user_id: str) -> list[HandedFile]:
        """The files kept for a person, soonest to go first."""
        query = (
            select(HandedFile)
            .where(HandedFile.workspace_id == workspace_id, HandedFile.person_user_id == user_id)
            .order_by(HandedFile.expires_at)
        )
        return list(self.session.scalars(query))
