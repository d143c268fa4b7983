"""The audit log, and the platform events already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain import (
    AuditAction,
)
from storage.models import (
    AuditEntry,
    ProcessedEvent,
)
from storage.repositories.sql import insert_ignoring_duplicates


class AuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        *,
        workspace_id: int,
        action: AuditAction,
        at: datetime,
        actor_id: int | None = None,
        network_id: int | None = None,
        subject_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        """Add an entry; its id."""
        entry = AuditEntry(
            workspace_id=workspace_id,
            action=action,
            created_at=at,
            actor_id=actor_id,
            network_id=network_id,
            subject_id=subject_id,
            details=details or {},
        )
        self.session.add(entry)
        self.session.flush()
        return entry.id


class DeliveredEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_delivery(self, event_id: str, team_id: str, now: datetime) -> bool:
        """Record an Events API delivery; False when the same event was recorded before."""
        values = {"event_id": event_id, "team_id": team_id, "received_at": now}
        return insert_ignoring_duplicates(self.session, ProcessedEvent.__table__, values)
